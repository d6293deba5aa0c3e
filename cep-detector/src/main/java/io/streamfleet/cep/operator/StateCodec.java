package io.streamfleet.cep.operator;

import io.streamfleet.cep.burst.TrackedOrder;
import io.streamfleet.cep.engine.runtime.EventRef;
import io.streamfleet.cep.engine.runtime.KeyState;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Byte layouts of the detector's stores. Buffer keys sort bytewise by event time first, so a drain is one ordered scan
 * from the drained watermark. A key state starts with its version and its wake-up watermark, from which the wake-up
 * index is rebuilt at start-up ({@link #decode}).
 */
final class StateCodec {

    /** Key-state layout with the events in the value. */
    static final byte FULL = 1;
    /** Key-state layout that refers to the events in the buffer. */
    static final byte BY_REFERENCE = 2;

    private StateCodec() {
    }

    /**
     * A key's matcher state together with the watermark of its wake-up entry. {@code pending} is the state's count of
     * pending candidates ({@code Matcher.pendingCandidates}) as the processor last computed it, or {@link #UNCOUNTED}
     * for a state just read from the store; it is not stored.
     */
    record StoredState(KeyState<TrackedOrder> state, long wakeAt, int pending) {

        static final int UNCOUNTED = -1;
    }

    /** Buffer key: time (sign-flipped big-endian), key length, key, event id. */
    static byte[] bufferKey(long timeMs, String key, String eventId) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] id = eventId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + 4 + k.length + id.length)
                .putLong(timeMs ^ Long.MIN_VALUE).putInt(k.length).put(k).put(id).array();
    }

    /**
     * The lower bound of a drain: the time prefix alone, which sorts before every buffer key at {@code timeMs} or later
     * and after every earlier one. Seeking there steps over whatever lies below, tombstones included.
     */
    static byte[] bufferFrom(long timeMs) {
        return timePrefix(timeMs);
    }

    static long bufferKeyTime(byte[] bufferKey) {
        return ByteBuffer.wrap(bufferKey).getLong() ^ Long.MIN_VALUE;
    }

    static String bufferKeyKey(byte[] bufferKey) {
        ByteBuffer buffer = ByteBuffer.wrap(bufferKey);
        buffer.getLong();
        int length = buffer.getInt();
        return new String(bufferKey, 12, length, StandardCharsets.UTF_8);
    }

    private static byte[] timePrefix(long timeMs) {
        return ByteBuffer.allocate(8).putLong(timeMs ^ Long.MIN_VALUE).array();
    }

    static byte[] encodeOrder(TrackedOrder order) {
        StoreBytes.Writer out = new StoreBytes.Writer(96);
        OrderCodec.write(out, order);
        return out.toByteArray();
    }

    static TrackedOrder decodeOrder(byte[] bytes) {
        return OrderCodec.read(new StoreBytes.Reader(bytes));
    }

    /**
     * The full layout ({@value #FULL}): header, then every event of the state. Written only while the buffer no longer
     * holds the state's oldest event: by a store of the version before the reference layout.
     */
    static byte[] encodeState(KeyState<TrackedOrder> state, long wakeAt) {
        StoreBytes.Writer out = new StoreBytes.Writer(32 + 96 * state.size());
        writeHeader(out, FULL, wakeAt, state.evaluatedThrough());
        out.writeInt(state.size());
        for (TrackedOrder order : state.events()) {
            OrderCodec.write(out, order);
        }
        return out.toByteArray();
    }

    /**
     * The reference layout ({@value #BY_REFERENCE}): header, the (time, id) of the state's oldest event and the number
     * of events. The events themselves stay in {@code cep-buffer} until the whole horizon has passed them, and
     * {@link #decode} callers rebuild the state from there (see {@link KeyStates}).
     */
    static byte[] encodeReference(KeyState<TrackedOrder> state, long wakeAt) {
        if (state.isEmpty()) {
            throw new IllegalArgumentException("an empty key state is deleted, not stored");
        }
        TrackedOrder first = state.events().get(0);
        StoreBytes.Writer out = new StoreBytes.Writer(48 + first.order().eventId().length());
        writeHeader(out, BY_REFERENCE, wakeAt, state.evaluatedThrough());
        out.writeLong(first.order().eventTimeMs());
        out.writeUTF(first.order().eventId());
        out.writeInt(state.size());
        return out.toByteArray();
    }

    private static void writeHeader(StoreBytes.Writer out, byte version, long wakeAt, EventRef through) {
        out.writeByte(version);
        out.writeLong(wakeAt);
        out.writeBoolean(through != null);
        if (through != null) {
            out.writeLong(through.timeMs());
            out.writeUTF(through.eventId());
        }
    }

    /** A stored key state of either layout. */
    static Stored decode(byte[] bytes) {
        StoreBytes.Reader in = new StoreBytes.Reader(bytes);
        byte version = version(in);
        long wakeAt = in.readLong();
        EventRef through = in.readBoolean() ? new EventRef(in.readLong(), in.readUTF()) : null;
        if (version == BY_REFERENCE) {
            EventRef first = new EventRef(in.readLong(), in.readUTF());
            return new Stored(wakeAt, through, first, in.readInt(), null);
        }
        int size = in.readInt();
        List<TrackedOrder> events = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            events.add(OrderCodec.read(in));
        }
        return new Stored(wakeAt, through, events.isEmpty() ? null : ref(events.get(0)), size, events);
    }

    private static byte version(StoreBytes.Reader in) {
        byte version = in.readByte();
        if (version != FULL && version != BY_REFERENCE) {
            throw new IllegalStateException("unknown key-state version " + version);
        }
        return version;
    }

    static EventRef ref(TrackedOrder order) {
        return new EventRef(order.order().eventTimeMs(), order.order().eventId());
    }

    /**
     * A decoded key state: its header, the (time, id) of its oldest event, how many events it has, and the events
     * themselves when they were stored with it ({@code events} null: they are in the buffer).
     */
    record Stored(long wakeAt, EventRef through, EventRef first, int size, List<TrackedOrder> events) {

        boolean byReference() {
            return events == null;
        }
    }
}

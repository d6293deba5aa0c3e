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
 * from the drained watermark. A key state starts with its version and its wake-up watermark
 * ({@link #wakeAt(byte[])}), from which the wake-up index is rebuilt at start-up.
 */
final class StateCodec {

    private static final byte VERSION = 1;

    private StateCodec() {
    }

    /**
     * A key's matcher state together with the watermark of its wake-up entry, and each stored event's bytes as they
     * were read or last written ({@link EventForms}, same order as {@code state.events()}), so writing the state back
     * copies them instead of encoding every event of the horizon again. {@code pending} is the state's count of
     * pending candidates ({@code Matcher.pendingCandidates}) as the processor last computed it, or {@link #UNCOUNTED}
     * for a state just read from the store; it is not stored.
     */
    record StoredState(KeyState<TrackedOrder> state, long wakeAt, EventForms forms, int pending) {

        static final int UNCOUNTED = -1;

        StoredState(KeyState<TrackedOrder> state, long wakeAt, EventForms forms) {
            this(state, wakeAt, forms, UNCOUNTED);
        }
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

    static byte[] encodeState(KeyState<TrackedOrder> state, long wakeAt) {
        StoreBytes.Writer out = new StoreBytes.Writer(32 + 96 * state.size());
        out.writeByte(VERSION);
        out.writeLong(wakeAt);
        EventRef through = state.evaluatedThrough();
        out.writeBoolean(through != null);
        if (through != null) {
            out.writeLong(through.timeMs());
            out.writeUTF(through.eventId());
        }
        out.writeInt(state.size());
        for (TrackedOrder order : state.events()) {
            OrderCodec.write(out, order);
        }
        return out.toByteArray();
    }

    /**
     * The bytes of {@link #encodeState(KeyState, long)}, built from each event's stored form ({@code forms}, one per
     * event of {@code state}, in its order) instead of encoding the events again. Afterwards {@code forms} are slices
     * of the returned value.
     */
    static byte[] encodeState(KeyState<TrackedOrder> state, long wakeAt, EventForms forms) {
        if (forms.size() != state.size()) {
            throw new IllegalStateException("stored forms of " + forms.size() + " events for a state of "
                    + state.size());
        }
        EventRef through = state.evaluatedThrough();
        int size = 1 + 8 + 1 + 4 + (through == null ? 0 : 8 + 2 + through.eventId().length()) + forms.byteLength();
        StoreBytes.Writer out = new StoreBytes.Writer(size);
        out.writeByte(VERSION);
        out.writeLong(wakeAt);
        out.writeBoolean(through != null);
        if (through != null) {
            out.writeLong(through.timeMs());
            out.writeUTF(through.eventId());
        }
        out.writeInt(state.size());
        int[] starts = forms.writeTo(out);
        byte[] value = out.toByteArray();
        forms.rebase(value, starts);
        return value;
    }

    /** The wake-up watermark a stored key state carries ({@link Long#MAX_VALUE}: none), read without its events. */
    static long wakeAt(byte[] bytes) {
        StoreBytes.Reader in = new StoreBytes.Reader(bytes);
        byte version = in.readByte();
        if (version != VERSION) {
            throw new IllegalStateException("unknown key-state version " + version);
        }
        return in.readLong();
    }

    static StoredState decodeState(byte[] bytes) {
        StoreBytes.Reader in = new StoreBytes.Reader(bytes);
        byte version = in.readByte();
        if (version != VERSION) {
            throw new IllegalStateException("unknown key-state version " + version);
        }
        long wakeAt = in.readLong();
        EventRef through = in.readBoolean() ? new EventRef(in.readLong(), in.readUTF()) : null;
        int size = in.readInt();
        List<TrackedOrder> events = new ArrayList<>(size);
        int[] starts = new int[size + 1];
        for (int i = 0; i < size; i++) {
            starts[i] = in.position();
            events.add(OrderCodec.read(in));
        }
        starts[size] = in.position();
        return new StoredState(KeyState.restore(events, through), wakeAt, EventForms.slicesOf(bytes, starts, size));
    }
}

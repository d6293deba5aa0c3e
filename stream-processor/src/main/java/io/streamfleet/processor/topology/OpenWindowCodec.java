package io.streamfleet.processor.topology;

import io.streamfleet.processor.stats.WindowAggregate;
import org.apache.kafka.common.utils.Bytes;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Byte layouts of the open-window store. Key: time (8 bytes, sign bit flipped so byte order is time order), kind
 * (1 byte), key (UTF-8). The time is the window end for {@link #TUMBLING} and {@link #HOPPING} entries and the pane
 * start for {@link #PANE} entries. Value: counts, notional (scale + unscaled bytes), ingestion time, sorted levels.
 */
final class OpenWindowCodec {

    /** A whole tumbling window. */
    static final int TUMBLING = 0;
    /**
     * A whole hopping window: written only by versions before panes (read back and merged into its window at close,
     * so state restored from such a version loses nothing), and the key under which a composed window is emitted.
     */
    static final int HOPPING = 1;
    /** One pane of the hopping family ({@code WindowSpec.paneMs()} long, keyed by its start). */
    static final int PANE = 2;
    /**
     * A whole tumbling window whose orders are not yet in their pane: folded into it when the window closes (one
     * aggregate written per order instead of two). {@link #TUMBLING} entries, written by earlier versions, are already
     * in their panes and are never folded.
     */
    static final int FOLDING_TUMBLING = 3;

    private OpenWindowCodec() {
    }

    static Bytes key(long timeMs, int family, String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(9 + k.length).putLong(timeMs ^ Long.MIN_VALUE)
                .put((byte) family).put(k).array());
    }

    /** The same record key under another time and kind (no UTF-8 round trip). */
    static Bytes rekey(Bytes key, long timeMs, int family) {
        byte[] b = key.get().clone();
        ByteBuffer.wrap(b).putLong(timeMs ^ Long.MIN_VALUE).put((byte) family);
        return Bytes.wrap(b);
    }

    /** Smallest key with end {@code windowEndMs}. */
    static Bytes lowerBound(long windowEndMs) {
        return Bytes.wrap(ByteBuffer.allocate(9).putLong(windowEndMs ^ Long.MIN_VALUE).put((byte) 0).array());
    }

    /** A bound above every key with time {@code windowEndMs}, of any kind. */
    static Bytes upperBound(long windowEndMs) {
        return Bytes.wrap(ByteBuffer.allocate(9).putLong(windowEndMs ^ Long.MIN_VALUE)
                .put((byte) (FOLDING_TUMBLING + 1)).array());
    }

    /** The time field: the window end, or the pane start of a {@link #PANE}. */
    static long end(Bytes key) {
        return ByteBuffer.wrap(key.get()).getLong() ^ Long.MIN_VALUE;
    }

    static int family(Bytes key) {
        return key.get()[8];
    }

    static String recordKey(Bytes key) {
        byte[] b = key.get();
        return new String(b, 9, b.length - 9, StandardCharsets.UTF_8);
    }

    static byte[] encode(WindowAggregate a) {
        byte[] unscaled = a.notional().unscaledValue().toByteArray();
        ByteBuffer buffer = ByteBuffer.allocate(8 * 4 + 4 + 4 + unscaled.length + 4 + 8 * a.levels().length);
        buffer.putLong(a.created()).putLong(a.cancelled()).putLong(a.filled()).putLong(a.lastIngestedAtMs());
        buffer.putInt(a.notional().scale()).putInt(unscaled.length).put(unscaled);
        buffer.putInt(a.levels().length);
        for (long level : a.levels()) {
            buffer.putLong(level);
        }
        return buffer.array();
    }

    static WindowAggregate decode(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long created = buffer.getLong();
        long cancelled = buffer.getLong();
        long filled = buffer.getLong();
        long ingested = buffer.getLong();
        int scale = buffer.getInt();
        byte[] unscaled = new byte[buffer.getInt()];
        buffer.get(unscaled);
        long[] levels = new long[buffer.getInt()];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = buffer.getLong();
        }
        return new WindowAggregate(created, cancelled, filled, new BigDecimal(new BigInteger(unscaled), scale),
                levels, ingested);
    }
}

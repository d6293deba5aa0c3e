package io.streamfleet.processor.topology;

import io.streamfleet.processor.stats.WindowAggregate;
import org.apache.kafka.common.utils.Bytes;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Byte layouts of the open-window store. Key: window end (8 bytes, sign bit flipped so byte order is time order),
 * family (1 byte), key (UTF-8). Value: counts, notional (scale + unscaled bytes), ingestion time, sorted levels.
 */
final class OpenWindowCodec {

    private OpenWindowCodec() {
    }

    static Bytes key(long windowEndMs, int family, String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(9 + k.length).putLong(windowEndMs ^ Long.MIN_VALUE)
                .put((byte) family).put(k).array());
    }

    /** Smallest key with end {@code windowEndMs}. */
    static Bytes lowerBound(long windowEndMs) {
        return Bytes.wrap(ByteBuffer.allocate(9).putLong(windowEndMs ^ Long.MIN_VALUE).put((byte) 0).array());
    }

    /** A bound above every key with end {@code windowEndMs} (families are 0 and 1). */
    static Bytes upperBound(long windowEndMs) {
        return Bytes.wrap(ByteBuffer.allocate(9).putLong(windowEndMs ^ Long.MIN_VALUE).put((byte) 2).array());
    }

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

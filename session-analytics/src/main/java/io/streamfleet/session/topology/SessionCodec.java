package io.streamfleet.session.topology;

import io.streamfleet.session.metrics.SessionAggregate;
import org.apache.kafka.common.utils.Bytes;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary forms of the session state. A versioned fixed layout rather than JSON: open sessions are rewritten on every
 * event, so their encoding is on the hot path.
 */
final class SessionCodec {

    private static final byte VERSION = 1;
    private static final int LONGS_PER_SESSION = 9;

    /** A row of the closing index: the session of {@code userId} that starts at {@code startMs} ends at {@code endMs}. */
    record Closing(long endMs, long startMs, String userId) {
    }

    private SessionCodec() {
    }

    static byte[] encodeOpen(List<SessionAggregate> sessions) {
        ByteBuffer buffer = ByteBuffer.allocate(1 + 4 + sessions.size() * LONGS_PER_SESSION * Long.BYTES);
        buffer.put(VERSION).putInt(sessions.size());
        for (SessionAggregate s : sessions) {
            buffer.putLong(s.startMs()).putLong(s.endMs()).putLong(s.events()).putLong(s.viewEnds())
                    .putLong(s.completedViews()).putLong(s.dwellSumMs()).putLong(s.dwellCount()).putLong(s.clicks())
                    .putLong(s.lastIngestedAtMs());
        }
        return buffer.array();
    }

    static List<SessionAggregate> decodeOpen(byte[] bytes) {
        if (bytes == null) {
            return new ArrayList<>();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        byte version = buffer.get();
        if (version != VERSION) {
            throw new IllegalStateException("unknown open-session encoding version " + version);
        }
        int count = buffer.getInt();
        List<SessionAggregate> sessions = new ArrayList<>(count + 1);
        for (int i = 0; i < count; i++) {
            sessions.add(new SessionAggregate(buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong(),
                    buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong()));
        }
        return sessions;
    }

    /** Closing-index key: end and start as order-preserving big-endian longs, then the user id; sorts by end. */
    static Bytes closingKey(Closing closing) {
        byte[] user = closing.userId().getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(2 * Long.BYTES + user.length)
                .putLong(closing.endMs() ^ Long.MIN_VALUE).putLong(closing.startMs() ^ Long.MIN_VALUE).put(user)
                .array());
    }

    /**
     * The end-time prefix alone: sorts after every key ending before {@code endMs} and before every key ending at or
     * after it — the inclusive range end of one closing scan and the inclusive range start of the next.
     */
    static Bytes closingBound(long endMs) {
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES).putLong(endMs ^ Long.MIN_VALUE).array());
    }

    static Closing decodeClosing(Bytes key) {
        ByteBuffer buffer = ByteBuffer.wrap(key.get());
        long end = buffer.getLong() ^ Long.MIN_VALUE;
        long start = buffer.getLong() ^ Long.MIN_VALUE;
        byte[] user = new byte[buffer.remaining()];
        buffer.get(user);
        return new Closing(end, start, new String(user, StandardCharsets.UTF_8));
    }
}

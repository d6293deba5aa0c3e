package io.streamfleet.session.topology;

import io.streamfleet.session.engine.OpenSession;
import io.streamfleet.session.metrics.SessionAggregate;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary forms of the session state. A versioned fixed layout rather than JSON: open sessions are rewritten on every
 * event, so their encoding is on the hot path.
 */
final class SessionCodec {

    /** Version 1: the sessions alone, each indexed at its end. Version 2 adds the end each one is indexed at. */
    private static final byte V1 = 1;
    private static final byte V2 = 2;
    private static final int LONGS_PER_SESSION = 9;

    private SessionCodec() {
    }

    /** The engine's open sessions of one user, in the version-2 layout. */
    static byte[] encodeSessions(List<OpenSession> sessions) {
        ByteBuffer buffer = ByteBuffer.allocate(1 + 4 + sessions.size() * (LONGS_PER_SESSION + 1) * Long.BYTES);
        buffer.put(V2).putInt(sessions.size());
        for (OpenSession open : sessions) {
            SessionAggregate s = open.session();
            buffer.putLong(s.startMs()).putLong(s.endMs()).putLong(s.events()).putLong(s.viewEnds())
                    .putLong(s.completedViews()).putLong(s.dwellSumMs()).putLong(s.dwellCount()).putLong(s.clicks())
                    .putLong(s.lastIngestedAtMs()).putLong(open.indexedEndMs());
        }
        return buffer.array();
    }

    /**
     * An open session with the end its closing-index entry is keyed at (docs/session-analytics.md, "Closing index").
     * Reads both versions into a list the caller may change (empty for null); a version-1 session was indexed at its
     * end.
     */
    static List<OpenSession> decodeSessions(byte[] bytes) {
        if (bytes == null) {
            return new ArrayList<>();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        byte version = buffer.get();
        if (version != V1 && version != V2) {
            throw new IllegalStateException("unknown open-session encoding version " + version);
        }
        int count = buffer.getInt();
        List<OpenSession> sessions = new ArrayList<>(count + 1);
        for (int i = 0; i < count; i++) {
            SessionAggregate session = new SessionAggregate(buffer.getLong(), buffer.getLong(), buffer.getLong(),
                    buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong(),
                    buffer.getLong());
            sessions.add(new OpenSession(session, version == V1 ? session.endMs() : buffer.getLong()));
        }
        return sessions;
    }

    /** The version-1 layout (sessions only), as state written before version 2 holds it; for tests. */
    static byte[] encodeOpenV1(List<SessionAggregate> sessions) {
        ByteBuffer buffer = ByteBuffer.allocate(1 + 4 + sessions.size() * LONGS_PER_SESSION * Long.BYTES);
        buffer.put(V1).putInt(sessions.size());
        for (SessionAggregate s : sessions) {
            buffer.putLong(s.startMs()).putLong(s.endMs()).putLong(s.events()).putLong(s.viewEnds())
                    .putLong(s.completedViews()).putLong(s.dwellSumMs()).putLong(s.dwellCount()).putLong(s.clicks())
                    .putLong(s.lastIngestedAtMs());
        }
        return buffer.array();
    }
}

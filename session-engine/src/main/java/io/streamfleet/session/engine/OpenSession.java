package io.streamfleet.session.engine;

import io.streamfleet.session.metrics.SessionAggregate;

/**
 * An open session and the end its closing-index entry is keyed at: its end when it was last indexed, which may lie
 * before its present end (docs/session-analytics.md, "Closing index").
 *
 * @param session      what the session holds so far
 * @param indexedEndMs the end its index entry is keyed at
 */
public record OpenSession(SessionAggregate session, long indexedEndMs) {

    /** The closing-index row of this session of {@code userId}. */
    public IndexEntry entry(String userId) {
        return new IndexEntry(indexedEndMs, session.startMs(), userId);
    }
}

package io.streamfleet.session.engine;

import io.streamfleet.contracts.alert.EngagementAlert;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.stats.EngagementSession;
import io.streamfleet.session.metrics.SessionAggregate;

/** What the {@link SessionEngine} decides, in the order it decides it. */
public interface SessionSink {

    /** A session closed at stream time {@code closedAtMs}; called before it is judged against its baseline. */
    void closed(EngagementSession session, SessionAggregate aggregate, long closedAtMs);

    /** The session just {@link #closed closed} dropped below its user's baseline. */
    void drop(EngagementAlert alert, EngagementSession session, SessionAggregate aggregate);

    /** {@code event} bridged {@code sessions} (more than one) open sessions of its user into {@code into}. */
    default void bridged(EngagementEvent event, int sessions, SessionAggregate into) {
    }

    /** The closing index named a session of its user that is not open; the entry was dropped. */
    default void staleEntry(IndexEntry entry) {
    }

    /** A due session was found closed already when its turn came; its entry was dropped. */
    default void closedAlready(IndexEntry exact) {
    }
}

package io.streamfleet.session.engine;

import io.streamfleet.contracts.alert.EngagementAlert;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.stats.EngagementSession;
import io.streamfleet.session.baseline.BaselineRule;
import io.streamfleet.session.metrics.SessionAggregate;
import io.streamfleet.session.metrics.SessionWindowRule;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@link SessionEngine} over one partition's events in arrival order, with session-analytics' stream time: the
 * highest event time of the data, moved further by {@code stream-time} marks ({@link #advanceTo}); never back. What
 * it closes and alerts is collected in order. The processor also takes {@code clock} marks of producers (an idle
 * partition's time); {@code engagement.clean} carries stream-processor's {@code stream-time} marks only, which
 * {@link #advanceTo} covers.
 */
public final class PartitionSessions {

    /** What became of an offered event. */
    public enum Outcome {
        /** sessionized */
        ACCEPTED,
        /** behind stream time by more than the grace: diverted, no state touched, time not moved */
        LATE,
        /** no user or no type: skipped */
        INVALID
    }

    /** A closed session and the stream time that closed it. */
    public record Closed(EngagementSession session, long closedAtMs) {
    }

    private final SessionEngine engine;
    private final MemorySessionState state = new MemorySessionState();
    private final List<Closed> sessions = new ArrayList<>();
    private final List<EngagementAlert> alerts = new ArrayList<>();
    private long streamTimeMs = Long.MIN_VALUE;

    public PartitionSessions(SessionWindowRule window, BaselineRule baseline) {
        this.engine = new SessionEngine(window, baseline, state, new SessionSink() {
            @Override
            public void closed(EngagementSession session, SessionAggregate aggregate, long closedAtMs) {
                sessions.add(new Closed(session, closedAtMs));
            }

            @Override
            public void drop(EngagementAlert alert, EngagementSession session, SessionAggregate aggregate) {
                alerts.add(alert);
            }
        });
    }

    /** The next event of the partition; {@code ingestedAtMs} as the gateway stamped it, or -1. */
    public Outcome offer(EngagementEvent event, long ingestedAtMs) {
        if (event == null || event.userId() == null || event.eventType() == null) {
            return Outcome.INVALID;
        }
        long before = streamTimeMs;
        if (engine.isLate(event.eventTimeMs(), before)) {
            return Outcome.LATE;
        }
        engine.add(event, ingestedAtMs);
        if (event.eventTimeMs() > before) {
            streamTimeMs = event.eventTimeMs();
            engine.advance(before, streamTimeMs);
        }
        return Outcome.ACCEPTED;
    }

    /** A {@code stream-time} mark: stream time is at least {@code markMs} from now on. */
    public void advanceTo(long markMs) {
        long before = streamTimeMs;
        if (markMs > before) {
            streamTimeMs = markMs;
            engine.advance(before, streamTimeMs);
        }
    }

    public long streamTimeMs() {
        return streamTimeMs;
    }

    /** Sessions closed so far, in the order they closed. */
    public List<Closed> closed() {
        return List.copyOf(sessions);
    }

    /** Engagement-drop alerts so far, in the order they were raised. */
    public List<EngagementAlert> alerts() {
        return List.copyOf(alerts);
    }

    /** Sessions not closed yet. */
    public List<EngagementSession> open() {
        List<EngagementSession> open = new ArrayList<>();
        state.openSessions().forEach((user, list) -> list.forEach(o -> open.add(o.session().toSession(user))));
        return open;
    }
}

package io.streamfleet.bench.oracle;

import io.streamfleet.bench.scenario.SessionRules;
import io.streamfleet.contracts.alert.EngagementAlert;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.session.baseline.BaselineRule;
import io.streamfleet.session.engine.PartitionSessions;
import io.streamfleet.session.metrics.SessionWindowRule;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The engagement-drop alerts that a given set of engagement events implies: session-analytics' own engine (module
 * session-engine) run over them offline in (event time, event id) order, so nothing is late, and then closed to the
 * end. Fed the events the fleet passed on as on time ({@code engagement.clean}), it says which drops the fleet owed
 * for the input it really got; the streaming part (arrival order, lateness, restarts, exactly-once) is what the
 * comparison checks.
 *
 * <p>Per user, the sessions and their verdicts depend only on the user's events once none of them is late: an event
 * joins every open session within the gap of it, and a session closes only when no on-time event can reach it any more,
 * in (end, start) order. So the offline order gives the fleet's sessions and alerts, except for the stream time an
 * alert was detected at, which depends on the other users of the partition and on the marks; that field is not
 * compared. A session the fleet cannot have closed yet (its end within gap + grace of the fleet's stream time when the
 * run is checked) is <em>pending</em>: its alert is not owed yet.
 */
public final class EngagementOracle {

    private final SessionWindowRule window;
    private final BaselineRule baseline;

    public EngagementOracle(SessionWindowRule window, BaselineRule baseline) {
        this.window = window;
        this.baseline = baseline;
    }

    /** The engine's settings for the session rules the fleet runs with (the scenario is labelled against them). */
    public static EngagementOracle of(SessionRules rules) {
        return new EngagementOracle(new SessionWindowRule(rules.inactivityGapMs(), rules.latenessMs()),
                new BaselineRule(rules.emaAlpha(), rules.dropThreshold()));
    }

    /** An alert the events imply, and whether the fleet must have raised it by the horizon. */
    public record Implied(EngagementAlert alert, boolean due) {
    }

    /**
     * Every drop the events imply, in the order the engine raised them; {@code horizonMs} is the fleet's engagement
     * stream time when the run is checked ({@code Long.MAX_VALUE}: every session is due).
     */
    public List<Implied> imply(Collection<EngagementEvent> events, long horizonMs) {
        List<EngagementEvent> ordered = new ArrayList<>(events);
        ordered.sort(Comparator.comparingLong(EngagementEvent::eventTimeMs).thenComparing(EngagementEvent::eventId));
        PartitionSessions sessions = new PartitionSessions(window, baseline);
        // in time order nothing is late; an event without user or type is skipped, as the processor skips it
        ordered.forEach(event -> sessions.offer(event, -1));
        sessions.advanceTo(Long.MAX_VALUE);
        List<Implied> implied = new ArrayList<>();
        for (EngagementAlert alert : sessions.alerts()) {
            implied.add(new Implied(alert, window.isClosed(alert.sessionEndMs(), horizonMs)));
        }
        return implied;
    }
}

package io.streamfleet.session.topology;

import io.streamfleet.contracts.alert.EngagementAlert;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.EngagementEventType;
import io.streamfleet.contracts.stats.EngagementSession;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any arrival order within the grace bound gives the same sessions and the same alerts per user: the arrival order
 * is event time plus a random delay of at most the grace, so no event is late, and the outcome must not depend on it.
 * A final stream-time mark closes what is still open, as stream-processor's marks do on a quiet partition.
 */
class ArrivalOrderPermutationTest {

    private static final long MIN = 60_000;
    private static final long GAP = 30 * MIN;
    private static final long GRACE = 120_000;

    record Arrival(EngagementEvent event, long at) {
    }

    record AlertFacts(String alertId, long start, long end, double asd, double baseline, double ratio) {
    }

    @Property(tries = 40)
    void shouldGiveIdenticalSessionsAndAlertsPerUserWhateverTheArrivalOrderWithinGrace(
            @ForAll long seed, @ForAll @IntRange(min = 2, max = 5) int users) {
        List<EngagementEvent> events = stream(new SplittableRandom(seed), users);
        List<EngagementEvent> shuffled = withinGrace(events, new SplittableRandom(seed ^ 0x5DEECE66DL));

        Outcome inOrder = run(events);
        Outcome permuted = run(shuffled);

        assertThat(inOrder.sessions().values().stream().mapToInt(List::size).sum()).isPositive();
        assertThat(permuted.sessions()).isEqualTo(inOrder.sessions());
        assertThat(permuted.alerts()).isEqualTo(inOrder.alerts());
    }

    record Outcome(Map<String, List<EngagementSession>> sessions, Map<String, List<AlertFacts>> alerts) {
    }

    private static Outcome run(List<EngagementEvent> events) {
        try (SessionDriver d = new SessionDriver()) {
            d.pipe(events);
            long last = events.stream().mapToLong(EngagementEvent::eventTimeMs).max().orElseThrow();
            d.progress(last + GAP + GRACE + 1);
            Map<String, List<EngagementSession>> sessions = d.drainSessions().stream()
                    .collect(Collectors.groupingBy(EngagementSession::userId, LinkedHashMap::new,
                            Collectors.toList()));
            Map<String, List<AlertFacts>> alerts = d.drainAlerts().stream()
                    .collect(Collectors.groupingBy(EngagementAlert::userId, LinkedHashMap::new,
                            Collectors.mapping(a -> new AlertFacts(a.alertId(), a.sessionStartMs(), a.sessionEndMs(),
                                    a.asdMs(), a.baselineAsdMs(), a.dropRatio()), Collectors.toList())));
            return new Outcome(new java.util.TreeMap<>(sessions), new java.util.TreeMap<>(alerts));
        }
    }

    /** Users with several sessions each: bursts of views a few seconds apart, sessions separated by gaps. */
    private static List<EngagementEvent> stream(SplittableRandom rng, int users) {
        List<EngagementEvent> events = new ArrayList<>();
        int id = 0;
        for (int u = 0; u < users; u++) {
            long t = 1_000_000_000L + rng.nextLong(10 * MIN);
            int sessions = 2 + rng.nextInt(4);
            for (int s = 0; s < sessions; s++) {
                int views = 1 + rng.nextInt(6);
                for (int v = 0; v < views; v++) {
                    long dwell = rng.nextInt(4) == 0 ? 0 : 500 + rng.nextInt(60_000);
                    EngagementEventType type = switch (rng.nextInt(4)) {
                        case 0 -> EngagementEventType.CLICK;
                        case 1 -> EngagementEventType.SCROLL;
                        default -> EngagementEventType.VIEW_END;
                    };
                    events.add(new EngagementEvent("e" + id++, "user-" + u, "c", type, t, dwell, rng.nextBoolean()));
                    t += rng.nextLong(GRACE * 3);
                }
                // sometimes just under the gap (one session), mostly above it (a new session)
                t += rng.nextInt(5) == 0 ? GAP - rng.nextLong(GRACE) : GAP + 1 + rng.nextLong(20 * MIN);
            }
        }
        events.sort(Comparator.comparingLong(EngagementEvent::eventTimeMs));
        return events;
    }

    private static List<EngagementEvent> withinGrace(List<EngagementEvent> events, SplittableRandom rng) {
        List<Arrival> arrivals = new ArrayList<>();
        for (EngagementEvent e : events) {
            arrivals.add(new Arrival(e, e.eventTimeMs() + rng.nextLong(GRACE + 1)));
        }
        arrivals.sort(Comparator.comparingLong(Arrival::at));
        return arrivals.stream().map(Arrival::event).toList();
    }
}

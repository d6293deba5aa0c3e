package io.streamfleet.session.engine;

import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.EngagementEventType;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Engagement events for the engine's tests. */
final class Events {

    static final long MIN = 60_000;
    static final long GAP = 30 * MIN;
    static final long GRACE = 120_000;

    private static final AtomicLong IDS = new AtomicLong();

    private Events() {
    }

    static EngagementEvent viewEnd(String user, long timeMs, long dwellMs) {
        return event(user, EngagementEventType.VIEW_END, timeMs, dwellMs, true);
    }

    static EngagementEvent click(String user, long timeMs) {
        return event(user, EngagementEventType.CLICK, timeMs, 0, false);
    }

    static EngagementEvent event(String user, EngagementEventType type, long timeMs, long dwellMs, boolean completed) {
        return new EngagementEvent("ev-" + IDS.incrementAndGet(), user, "content-1", type, timeMs, dwellMs, completed);
    }

    /**
     * Users with several sessions each, in event-time order: views a few seconds to minutes apart (sometimes just
     * under or at the gap), sessions separated by more than the gap; each user's dwell drops now and then, so some
     * sessions alert.
     */
    static List<EngagementEvent> stream(SplittableRandom rng, int users) {
        List<EngagementEvent> events = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            String user = "user-" + u + (u % 3 == 0 ? "-é" : "");
            long t = 1_000_000_000L + rng.nextLong(10 * MIN);
            int sessions = 2 + rng.nextInt(5);
            for (int s = 0; s < sessions; s++) {
                long dwell = rng.nextInt(4) == 0 ? 500 + rng.nextLong(2_000) : 10_000 + rng.nextLong(20_000);
                int views = 1 + rng.nextInt(6);
                for (int v = 0; v < views; v++) {
                    int kind = rng.nextInt(10);
                    events.add(kind < 6 ? viewEnd(user, t, dwell + rng.nextLong(1_000))
                            : kind < 8 ? click(user, t)
                            : event(user, EngagementEventType.VIEW_START, t, 0, false));
                    t += rng.nextInt(10) == 0 ? GAP : 1_000 + rng.nextLong(5 * MIN);
                }
                t += GAP + 1 + rng.nextLong(60 * MIN);
            }
        }
        events.sort(java.util.Comparator.comparingLong(EngagementEvent::eventTimeMs));
        return events;
    }

    /** {@code events} in an arrival order that delays each by up to {@code maxDelayMs} of event time. */
    static List<EngagementEvent> delayed(List<EngagementEvent> events, SplittableRandom rng, long maxDelayMs) {
        record Arrival(EngagementEvent event, long at, int seq) {
        }
        List<Arrival> arrivals = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            EngagementEvent e = events.get(i);
            arrivals.add(new Arrival(e, e.eventTimeMs() + rng.nextLong(maxDelayMs + 1), i));
        }
        arrivals.sort(java.util.Comparator.comparingLong(Arrival::at).thenComparingInt(Arrival::seq));
        return arrivals.stream().map(Arrival::event).toList();
    }
}

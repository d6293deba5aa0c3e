package io.streamfleet.bench.scenario;

import io.streamfleet.contracts.Decimals;
import io.streamfleet.contracts.alert.AlertType;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.EngagementEventType;
import io.streamfleet.contracts.id.AlertIds;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * A labelled engagement user: two sessions at a steady dwell time set the baseline, a third session's views are
 * shorter: by half for a drop (must alert), by 28 % for a near-miss (threshold 30 %, must not alert). Sessions are
 * separated by more than the inactivity gap.
 */
final class EngagementEpisodes {

    static final int SESSIONS = 3;
    static final int VIEWS_PER_SESSION = 4;
    private static final long VIEW_PAUSE_MS = 5_000;
    static final double DROP_FACTOR = 0.5;
    static final double NEAR_MISS_FACTOR = 0.72;

    record Built(List<EngagementEvent> events, Label label) {
    }

    private final SessionRules rules;
    private final Supplier<String> ids;

    EngagementEpisodes(SessionRules rules, Supplier<String> ids) {
        this.rules = rules;
        this.ids = ids;
    }

    /** Event-time length from the first event to the moment the third session closes, with margin. */
    long timelineMs() {
        long session = VIEWS_PER_SESSION * (120_000 + VIEW_PAUSE_MS);
        return SESSIONS * session + (SESSIONS - 1) * sessionSpacingMs() + rules.inactivityGapMs()
                + rules.latenessMs() + 5 * 60_000L;
    }

    private long sessionSpacingMs() {
        return rules.inactivityGapMs() + 5 * 60_000L;
    }

    Built build(String labelId, boolean drop, String userId, long firstEventMs, SplittableRandom rng) {
        long dwell = 40_000 + 1_000L * rng.nextInt(60);
        double factor = drop ? DROP_FACTOR : NEAR_MISS_FACTOR;
        long lastDwell = Math.round(dwell * factor);
        List<EngagementEvent> events = new ArrayList<>();
        long t = firstEventMs;
        long[] bounds = new long[2];
        for (int s = 0; s < SESSIONS; s++) {
            long sessionDwell = s == SESSIONS - 1 ? lastDwell : dwell;
            long start = t;
            for (int v = 0; v < VIEWS_PER_SESSION; v++) {
                String content = "c-" + rng.nextInt(10_000);
                events.add(event(userId, content, EngagementEventType.VIEW_START, t, 0, false));
                events.add(event(userId, content, EngagementEventType.SCROLL, t + sessionDwell / 2, 0, false));
                if (v % 2 == 0) {
                    events.add(event(userId, content, EngagementEventType.CLICK, t + sessionDwell / 2 + 1, 0, false));
                }
                t += sessionDwell;
                events.add(event(userId, content, EngagementEventType.VIEW_END, t, sessionDwell, v % 2 == 0));
                t += VIEW_PAUSE_MS;
            }
            bounds[0] = start;
            bounds[1] = t - VIEW_PAUSE_MS;
            t = bounds[1] + sessionSpacingMs();
        }
        return new Built(List.copyOf(events), label(labelId, drop, userId, dwell, lastDwell, bounds, events));
    }

    private Label label(String labelId, boolean drop, String userId, long dwell, long lastDwell, long[] bounds,
                        List<EngagementEvent> events) {
        List<String> lastSession = events.stream().filter(e -> e.eventTimeMs() >= bounds[0])
                .map(EngagementEvent::eventId).toList();
        double baseline = dwell;
        double ratio = (baseline - lastDwell) / baseline;
        if (drop != ratio >= rules.dropThreshold()) {
            throw new IllegalStateException("labelled drop does not match the threshold: ratio " + ratio);
        }
        if (!drop) {
            return new Label(labelId, AlertType.ENGAGEMENT_DROP, "NEAR_MISS_DROP", false, userId, null,
                    "drop ratio " + Decimals.halfUp(ratio, 3) + " < " + rules.dropThreshold(), Map.of(), lastSession);
        }
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("userId", userId);
        expected.put("sessionStartMs", bounds[0]);
        expected.put("sessionEndMs", bounds[1]);
        expected.put("asdMs", Decimals.halfUp(lastDwell, 1));
        expected.put("baselineAsdMs", Decimals.halfUp(baseline, 1));
        expected.put("dropRatio", Decimals.halfUp(ratio, 3));
        return new Label(labelId, AlertType.ENGAGEMENT_DROP, "DROP", true, userId,
                AlertIds.engagementDrop(userId, bounds[0], bounds[1]), null, expected, lastSession);
    }

    private EngagementEvent event(String userId, String content, EngagementEventType type, long timeMs, long dwellMs,
                                  boolean completed) {
        return new EngagementEvent(ids.get(), userId, content, type, timeMs, dwellMs, completed);
    }
}

package io.streamfleet.launcher.demo;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's episodes judged by the detection rule written out here (docs/cep-detector.md#detection-rule, for one
 * episode on a quiet key: B = all creates, anchor = last create, C = cancels within 1 s of it): alerting episodes
 * must match, near misses must not; and the early engagement drop must be a drop by the baseline rule.
 */
class DemoScenarioTest {

    private static final long NOW = 1_764_000_000_000L;

    @Test
    void shouldAlternateVariedAlertingEpisodesWithNearMissesThatBreakOneRule() {
        DemoScenario scenario = new DemoScenario(NOW, 42L);
        Set<String> kinds = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            DemoScenario.Episode episode = scenario.nextEpisode(NOW + i * 10_000L);
            assertThat(episode.alerts()).isEqualTo(i % 2 == 0);
            assertThat(matches(episode.events())).as(episode.kind()).isEqualTo(episode.alerts());
            // not late at stream-processor: within its 3 s lateness of the batch's noise orders (times up to now)
            long now = NOW + i * 10_000L;
            assertThat(episode.events()).allSatisfy(e -> assertThat((long) e.get("eventTimeMs"))
                    .isBetween(now - 2_900, now));
            kinds.add(episode.kind());
        }
        assertThat(kinds).as("varied sizes, levels and ratios, and every near miss").hasSizeGreaterThan(20);
        for (String nearMiss : DemoScenario.NEAR_MISSES) {
            assertThat(kinds).contains("near miss: " + nearMiss);
        }
    }

    @Test
    void shouldSendAnEarlyHistoryWhoseLastSessionDropsWellBelowTheBaseline() {
        DemoScenario scenario = new DemoScenario(NOW, 42L);
        List<Map<String, Object>> history = scenario.earlyDropHistory();
        List<List<Long>> sessions = new ArrayList<>();
        long lastTime = Long.MIN_VALUE;
        for (Map<String, Object> event : history) {
            long time = (long) event.get("eventTimeMs");
            assertThat(time).as("in time order").isGreaterThanOrEqualTo(lastTime);
            if (lastTime == Long.MIN_VALUE || time - lastTime > 30 * 60_000L) {
                sessions.add(new ArrayList<>());
            }
            lastTime = time;
            if (event.get("eventType").equals("view_end")) {
                sessions.get(sessions.size() - 1).add((long) event.get("dwellMs"));
            }
        }
        assertThat(sessions).hasSize(4);
        double ema = average(sessions.get(0));
        for (int i = 1; i < 3; i++) {
            ema = 0.3 * average(sessions.get(i)) + 0.7 * ema;
        }
        assertThat((ema - average(sessions.get(3))) / ema).isGreaterThanOrEqualTo(0.30);
        // the short session closes once stream time is gap + grace past it: within the first minute at 20x
        long engagementStart = NOW - 2L * 24 * 3600 * 1000;
        assertThat(lastTime + 32 * 60_000L - engagementStart)
                .isLessThan(60_000L * DemoScenario.ENGAGEMENT_SPEEDUP);
        // and the user's live sessions start more than the gap after it, so they cannot merge with it
        List<Map<String, Object>> live = new ArrayList<>();
        for (int tick = 0; tick < 4 * 60 * 4; tick++) {
            scenario.tick(NOW + tick * 250L).stream()
                    .filter(e -> DemoScenario.EARLY_DROP_USER.equals(e.get("userId"))).forEach(live::add);
        }
        assertThat(live).isNotEmpty();
        assertThat((long) live.get(0).get("eventTimeMs") - lastTime).isGreaterThan(32 * 60_000L);
    }

    private static double average(List<Long> dwells) {
        return dwells.stream().mapToLong(Long::longValue).average().orElse(0);
    }

    private static boolean matches(List<Map<String, Object>> events) {
        List<Map<String, Object>> creates = events.stream().filter(e -> e.get("eventType").equals("CREATED")).toList();
        long anchor = creates.stream().mapToLong(e -> (long) e.get("eventTimeMs")).max().orElseThrow();
        long first = creates.stream().mapToLong(e -> (long) e.get("eventTimeMs")).min().orElseThrow();
        long cancels = events.stream().filter(e -> e.get("eventType").equals("CANCELLED"))
                .mapToLong(e -> (long) e.get("eventTimeMs")).filter(t -> t > anchor && t <= anchor + 1_000).count();
        long levels = creates.stream().map(e -> Math.round((double) e.get("price") * 100)).distinct().count();
        return anchor - first <= 2_000 && creates.size() >= 10 && cancels >= 8
                && Math.min(cancels, creates.size()) >= 0.8 * creates.size() && levels >= 3;
    }
}

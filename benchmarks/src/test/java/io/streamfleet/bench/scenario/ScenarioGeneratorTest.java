package io.streamfleet.bench.scenario;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScenarioGeneratorTest {

    private static ScenarioSettings settings(long seed) {
        return GroundTruthAgreesWithReferenceTest.small(seed, 400, 40, 6, 7, 1_000);
    }

    private static List<BenchEvent> all(Scenario scenario) {
        List<BenchEvent> events = new ArrayList<>();
        scenario.events().forEach(events::add);
        return events;
    }

    @Test
    void shouldProduceIdenticalEventsAndTruthWhenSeedAndStartAreEqual() {
        Scenario a = ScenarioGenerator.generate(settings(7));
        Scenario b = ScenarioGenerator.generate(settings(7));
        assertThat(all(a)).isEqualTo(all(b)).isEqualTo(all(a));
        assertThat(a.truth()).isEqualTo(b.truth());
        assertThat(all(ScenarioGenerator.generate(settings(8)))).isNotEqualTo(all(a));
    }

    @Test
    void shouldSendInOrderWithinJitterAndNeverInTheFutureWhenGenerating() {
        Scenario scenario = ScenarioGenerator.generate(settings(11));
        ScenarioSettings s = scenario.settings();
        long previous = -1;
        int late = 0;
        for (BenchEvent e : scenario.events()) {
            assertThat(e.sendOffsetNanos()).isGreaterThanOrEqualTo(previous);
            previous = e.sendOffsetNanos();
            long sendMs = TimeUnit.NANOSECONDS.toMillis(e.sendOffsetNanos());
            if (e.isOrder()) {
                long behind = s.startMs() + sendMs - e.eventTimeMs();
                if (e.tag() == EventTag.LATE) {
                    late++;
                    assertThat(behind).isGreaterThan(s.burst().latenessMs());
                } else if (e.tag() != EventTag.DUPLICATE) {
                    assertThat(behind).isBetween(-1L, s.jitterMs() + 1);
                }
            } else {
                long clock = s.engagementClockStartMs() + sendMs * s.engagementSpeed();
                assertThat(e.eventTimeMs()).isLessThanOrEqualTo(clock + s.engagementSpeed());
                assertThat(e.eventTimeMs()).isLessThan(s.startMs());
            }
        }
        assertThat(late).isPositive();
        assertThat(TimeUnit.NANOSECONDS.toMillis(previous)).isLessThanOrEqualTo(s.durationMs());
    }

    @Test
    void shouldStartNoBurstEpisodeOrNearMissBeforeTheWarmUpEnds() {
        ScenarioSettings base = settings(9);
        long warmUp = base.durationMs() / 2;
        ScenarioSettings s = new ScenarioSettings(base.seed(), base.startMs(), base.ratePerSecond(),
                base.durationMs(), base.orderKeys(), base.engagementShare(), base.engagementUsers(),
                base.engagementSpeed(), base.orderEpisodes(), base.orderNearMisses(), base.engagementEpisodes(),
                base.engagementNearMisses(), base.jitterMs(), base.duplicateRate(), base.lateRate(), base.burst(),
                base.session(), 0, warmUp);
        Scenario scenario = ScenarioGenerator.generate(s);
        List<BenchEvent> labelledOrders = scenario.labelledEvents().stream().filter(BenchEvent::isOrder).toList();

        assertThat(labelledOrders).isNotEmpty()
                .allSatisfy(e -> assertThat(e.eventTimeMs()).isGreaterThanOrEqualTo(s.startMs() + warmUp));
        assertThat(scenario.truth().labels()).hasSize(base.orderEpisodes() + base.orderNearMisses()
                + base.engagementEpisodes() + base.engagementNearMisses());
        assertThatThrownBy(() -> new ScenarioSettings(base.seed(), base.startMs(), base.ratePerSecond(),
                base.durationMs(), base.orderKeys(), base.engagementShare(), base.engagementUsers(),
                base.engagementSpeed(), base.orderEpisodes(), base.orderNearMisses(), base.engagementEpisodes(),
                base.engagementNearMisses(), base.jitterMs(), base.duplicateRate(), base.lateRate(), base.burst(),
                base.session(), 0, base.durationMs())).hasMessageContaining("warm-up");
    }

    @Test
    void shouldKeepEveryEngagementEventInsideTheGivenClockStretchWhenAnOriginIsSet() {
        ScenarioSettings base = settings(5);
        long span = base.durationMs() * base.engagementSpeed();
        long origin = base.startMs() - 20 * span;
        ScenarioSettings s = new ScenarioSettings(base.seed(), base.startMs(), base.ratePerSecond(),
                base.durationMs(), base.orderKeys(), base.engagementShare(), base.engagementUsers(),
                base.engagementSpeed(), base.orderEpisodes(), base.orderNearMisses(), base.engagementEpisodes(),
                base.engagementNearMisses(), base.jitterMs(), base.duplicateRate(), base.lateRate(), base.burst(),
                base.session(), origin, base.warmUpMs());
        int engagement = 0;
        for (BenchEvent e : ScenarioGenerator.generate(s).events()) {
            if (!e.isOrder()) {
                engagement++;
                assertThat(e.eventTimeMs()).isBetween(origin - s.engagementJitterMs(), origin + span);
            }
        }
        assertThat(engagement).isPositive();
        assertThatThrownBy(() -> new ScenarioSettings(base.seed(), base.startMs(), base.ratePerSecond(),
                base.durationMs(), base.orderKeys(), base.engagementShare(), base.engagementUsers(),
                base.engagementSpeed(), base.orderEpisodes(), base.orderNearMisses(), base.engagementEpisodes(),
                base.engagementNearMisses(), base.jitterMs(), base.duplicateRate(), base.lateRate(), base.burst(),
                base.session(), base.startMs() - span / 2, base.warmUpMs())).hasMessageContaining("must end before the run starts");
    }

    @Test
    void shouldResendDuplicatesWithTheSameIdAndPayloadWhenDuplicateRateIsSet() {
        Map<String, BenchEvent> firsts = new HashMap<>();
        int duplicates = 0;
        for (BenchEvent e : ScenarioGenerator.generate(settings(3)).events()) {
            BenchEvent first = firsts.putIfAbsent(e.eventId(), e);
            if (first != null) {
                duplicates++;
                assertThat(e.tag()).isEqualTo(EventTag.DUPLICATE);
                assertThat(e.order()).isEqualTo(first.order());
                assertThat(e.engagement()).isEqualTo(first.engagement());
            } else {
                assertThat(e.tag()).isNotEqualTo(EventTag.DUPLICATE);
            }
        }
        assertThat(duplicates).isPositive();
    }

    @Test
    void shouldPlaceEveryVariantWithItsOwnKeyWhenEnoughEpisodesAreAsked() {
        Scenario scenario = ScenarioGenerator.generate(settings(5));
        assertThat(scenario.truth().labels()).extracting(Label::key).doesNotHaveDuplicates();
        assertThat(scenario.truth().mustAlert()).extracting(Label::variant)
                .contains("EPISODE", "BOUNDARY", "INTERLEAVED", "DROP");
        assertThat(scenario.truth().mustAlert()).allMatch(l -> l.expectedAlertId() != null && !l.eventIds().isEmpty());
        assertThat(scenario.truth().mustNotAlert()).allMatch(l -> l.missedRule() != null);
    }

    @Test
    void shouldRejectJitterBeyondTheLatenessBoundWhenConfigured() {
        assertThatThrownBy(() -> GroundTruthAgreesWithReferenceTest.small(1, 100, 10, 1, 1, 3_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jitter");
    }
}

package io.streamfleet.bench.scenario;

import io.streamfleet.contracts.Decimals;
import io.streamfleet.contracts.alert.AlertType;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.id.AlertIds;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generator labels by construction; the references evaluate the rules of docs/cep-detector.md#detection-rule and
 * docs/session-analytics.md#sessions-and-engagement-drops over every generated event. They must
 * agree exactly: same alerting keys, same alert fields and ids, and no alert anywhere else (noise, near-misses).
 */
class GroundTruthAgreesWithReferenceTest {

    static ScenarioSettings small(long seed, int rate, int keys, int episodes, int nearMisses, long jitterMs) {
        return new ScenarioSettings(seed, 1_790_000_000_000L + seed % 100_000, rate, 20_000, keys, 0.25, 30, 600,
                episodes, nearMisses, 3, 3, jitterMs, 0.05, 0.01, BurstRules.defaults(), SessionRules.defaults(), 0,
                ScenarioSettings.DEFAULT_WARM_UP_MS);
    }

    static Map<String, List<BenchEvent>> distinctByKey(Scenario scenario, boolean orders) {
        Set<String> seen = new HashSet<>();
        Map<String, List<BenchEvent>> byKey = new TreeMap<>();
        for (BenchEvent e : scenario.events()) {
            if (e.isOrder() == orders && seen.add(e.eventId())) {
                String key = orders ? e.order().key() : e.engagement().userId();
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
            }
        }
        return byKey;
    }

    @Property(tries = 25)
    void shouldAgreeWithSpecReferenceOnOrdersWhenNoiseIsDenseOrSparse(@ForAll @LongRange(min = 1, max = 1_000_000) long seed,
                                                                       @ForAll @IntRange(min = 100, max = 600) int rate,
                                                                       @ForAll @IntRange(min = 3, max = 60) int keys,
                                                                       @ForAll @IntRange(min = 0, max = 2_500) int jitter) {
        Scenario scenario = ScenarioGenerator.generate(small(seed, rate, keys, 6, 7, jitter));
        BurstRules rules = scenario.settings().burst();

        Map<String, Map<String, Object>> found = new TreeMap<>();
        distinctByKey(scenario, true).forEach((key, events) -> {
            List<OrderEvent> orders = events.stream().map(BenchEvent::order).toList();
            for (BurstReference.Candidate m : BurstReference.matches(orders, rules)) {
                Map<String, Object> alert = new LinkedHashMap<>();
                OrderEvent first = m.burst().get(0);
                alert.put("alertId", AlertIds.anomaly(first.accountId(), first.symbol(), m.windowStartMs(), first.eventId()));
                alert.put("accountId", first.accountId());
                alert.put("symbol", first.symbol());
                alert.put("windowStartMs", m.windowStartMs());
                alert.put("windowEndMs", m.windowEndMs());
                alert.put("created", m.burst().size());
                alert.put("canceled", m.cancels().size());
                alert.put("cancelRatio", Decimals.ratioHalfUp(Math.min(m.burst().size(), m.cancels().size()),
                        m.burst().size(), 3));
                alert.put("uniquePriceLevels", m.levels().size());
                alert.put("createdPriceLevels", m.levels());
                assertThat(found.put(key, alert)).as("second alert on %s", key).isNull();
            }
        });

        Map<String, Map<String, Object>> labelled = new TreeMap<>();
        for (Label label : scenario.truth().mustAlert()) {
            if (label.type() == AlertType.BURST_CREATE_MASS_CANCEL) {
                Map<String, Object> alert = new LinkedHashMap<>();
                alert.put("alertId", label.expectedAlertId());
                alert.putAll(label.expected());
                labelled.put(label.key(), alert);
            }
        }
        assertThat(labelled).hasSize(6);
        assertThat(found).isEqualTo(labelled);
    }

    @Property(tries = 10)
    void shouldMissExactlyOneRuleByOneStepWhenNearMiss(@ForAll @LongRange(min = 1, max = 1_000_000) long seed) {
        Scenario scenario = ScenarioGenerator.generate(small(seed, 200, 10, 0, 10, 500));
        Map<String, List<BenchEvent>> byKey = distinctByKey(scenario, true);
        BurstRules r = scenario.settings().burst();
        for (Label label : scenario.truth().mustNotAlert()) {
            if (label.type() != AlertType.BURST_CREATE_MASS_CANCEL) {
                continue;
            }
            List<OrderEvent> events = byKey.get(label.key()).stream().map(BenchEvent::order).toList();
            List<BurstReference.Candidate> candidates = BurstReference.evaluate(events, r);
            assertThat(candidates).as(label.labelId()).hasSize(1);
            BurstReference.Candidate c = candidates.get(0);
            int failed = (c.enoughCreates() ? 0 : 1) + (c.enoughCancels() ? 0 : 1) + (c.ratioReached() ? 0 : 1)
                    + (c.enoughLevels() ? 0 : 1);
            switch (OrderVariant.valueOf(label.variant())) {
                case NEAR_MISS_CREATES -> assertThat(failed == 1 && !c.enoughCreates()).as(label.toString()).isTrue();
                case NEAR_MISS_LEVELS -> assertThat(failed == 1 && !c.enoughLevels()).as(label.toString()).isTrue();
                case NEAR_MISS_RATIO -> assertThat(failed == 1 && !c.ratioReached()).as(label.toString()).isTrue();
                case NEAR_MISS_CANCEL_WINDOW -> assertThat(BurstReference.matches(events, new BurstRules(
                        r.burstWindowMs(), r.cancelWindowMs() + 1, r.minCreates(), r.minCancels(), r.minCancelRatio(),
                        r.minPriceLevels(), r.tickSize(), r.latenessMs()))).as(label.toString()).hasSize(1);
                case NEAR_MISS_BURST_WINDOW -> assertThat(BurstReference.matches(events, new BurstRules(
                        r.burstWindowMs() + 1, r.cancelWindowMs(), r.minCreates(), r.minCancels(), r.minCancelRatio(),
                        r.minPriceLevels(), r.tickSize(), r.latenessMs()))).as(label.toString()).hasSize(1);
                default -> throw new AssertionError("unexpected near-miss variant " + label.variant());
            }
        }
        assertThat(scenario.truth().mustNotAlert()).extracting(Label::variant).contains(
                "NEAR_MISS_CREATES", "NEAR_MISS_LEVELS", "NEAR_MISS_RATIO", "NEAR_MISS_CANCEL_WINDOW",
                "NEAR_MISS_BURST_WINDOW");
    }

    @Property(tries = 10)
    void shouldAgreeWithSpecReferenceOnEngagementWhenSessionsClose(@ForAll @LongRange(min = 1, max = 1_000_000) long seed) {
        assertEngagementAgreesWithReference(ScenarioGenerator.generate(small(seed, 300, 20, 2, 2, 1_000)));
    }

    /** Many users for the rate: background sessions of one or two events, which must still never alert. */
    @Property(tries = 10)
    void shouldAgreeWithSpecReferenceOnEngagementWhenBackgroundUsersAreSparse(
            @ForAll @LongRange(min = 1, max = 1_000_000) long seed) {
        ScenarioSettings dense = small(seed, 300, 20, 2, 2, 1_000);
        ScenarioSettings sparse = new ScenarioSettings(dense.seed(), dense.startMs(), dense.ratePerSecond(),
                dense.durationMs(), dense.orderKeys(), dense.engagementShare(), 500, dense.engagementSpeed(),
                dense.orderEpisodes(), dense.orderNearMisses(), dense.engagementEpisodes(),
                dense.engagementNearMisses(), dense.jitterMs(), dense.duplicateRate(), dense.lateRate(), dense.burst(),
                dense.session(), 0, dense.warmUpMs());
        assertEngagementAgreesWithReference(ScenarioGenerator.generate(sparse));
    }

    private static void assertEngagementAgreesWithReference(Scenario scenario) {
        long streamTime = 0;
        Map<String, List<BenchEvent>> byUser = distinctByKey(scenario, false);
        for (List<BenchEvent> events : byUser.values()) {
            for (BenchEvent e : events) {
                streamTime = Math.max(streamTime, e.eventTimeMs());
            }
        }
        Map<String, Map<String, Object>> found = new TreeMap<>();
        for (List<BenchEvent> events : byUser.values()) {
            List<EngagementEvent> user = events.stream().map(BenchEvent::engagement).toList();
            for (SessionReference.Drop d : SessionReference.drops(user, scenario.settings().session(), streamTime)) {
                assertThat(found).doesNotContainKey(d.userId());
                Map<String, Object> alert = new LinkedHashMap<>();
                alert.put("alertId", AlertIds.engagementDrop(d.userId(), d.sessionStartMs(), d.sessionEndMs()));
                alert.put("userId", d.userId());
                alert.put("sessionStartMs", d.sessionStartMs());
                alert.put("sessionEndMs", d.sessionEndMs());
                alert.put("asdMs", Decimals.halfUp(d.asd(), 1));
                alert.put("baselineAsdMs", Decimals.halfUp(d.baseline(), 1));
                alert.put("dropRatio", Decimals.halfUp(d.ratio(), 3));
                found.put(d.userId(), alert);
            }
        }
        Map<String, Map<String, Object>> labelled = scenario.truth().mustAlert().stream()
                .filter(l -> l.type() == AlertType.ENGAGEMENT_DROP)
                .collect(Collectors.toMap(Label::key, l -> {
                    Map<String, Object> alert = new LinkedHashMap<>();
                    alert.put("alertId", l.expectedAlertId());
                    alert.putAll(l.expected());
                    return alert;
                }, (a, b) -> a, TreeMap::new));
        assertThat(labelled).hasSize(3);
        assertThat(found).isEqualTo(labelled);
    }
}

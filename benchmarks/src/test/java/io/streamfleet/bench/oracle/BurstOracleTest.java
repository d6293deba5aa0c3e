package io.streamfleet.bench.oracle;

import io.streamfleet.bench.scenario.BenchEvent;
import io.streamfleet.bench.scenario.BurstRules;
import io.streamfleet.bench.scenario.EventTag;
import io.streamfleet.bench.scenario.Label;
import io.streamfleet.bench.scenario.Scenario;
import io.streamfleet.bench.scenario.ScenarioGenerator;
import io.streamfleet.bench.scenario.ScenarioSettings;
import io.streamfleet.bench.scenario.SessionRules;
import io.streamfleet.cep.burst.BurstDetection;
import io.streamfleet.contracts.alert.AlertType;
import io.streamfleet.contracts.event.OrderEvent;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class BurstOracleTest {

    private static ScenarioSettings settings(long seed, int rate, int keys) {
        return new ScenarioSettings(seed, 1_790_000_000_000L + seed % 100_000, rate, 20_000, keys, 0.25, 30, 600,
                6, 7, 3, 3, 800, 0.05, 0.01, BurstRules.defaults(), SessionRules.defaults(), 0,
                ScenarioSettings.DEFAULT_WARM_UP_MS);
    }

    /** What orders.clean holds of a scenario sent as planned: each order once, none sent late on purpose. */
    private static List<OrderEvent> onTimeOrders(Scenario scenario) {
        Map<String, OrderEvent> distinct = new LinkedHashMap<>();
        for (BenchEvent e : scenario.events()) {
            if (e.isOrder() && e.tag() != EventTag.LATE) {
                distinct.putIfAbsent(e.eventId(), e.order());
            }
        }
        return new ArrayList<>(distinct.values());
    }

    private static List<String> labelledBurstIds(Scenario scenario) {
        return scenario.truth().mustAlert().stream().filter(l -> l.type() == AlertType.BURST_CREATE_MASS_CANCEL)
                .map(Label::expectedAlertId).sorted().toList();
    }

    @Property(tries = 15)
    void shouldImplyExactlyTheLabelledEpisodesWhenEveryOrderArrivedOnTime(
            @ForAll @LongRange(min = 1, max = 1_000_000) long seed, @ForAll @IntRange(min = 100, max = 600) int rate,
            @ForAll @IntRange(min = 3, max = 60) int keys) {
        Scenario scenario = ScenarioGenerator.generate(settings(seed, rate, keys));
        List<OrderEvent> orders = onTimeOrders(scenario);
        Collections.shuffle(orders, new java.util.Random(seed));

        List<String> implied = new BurstOracle(BurstOracle.settingsOf(scenario.settings().burst())).detect(orders)
                .stream().map(BurstDetection::alertId).sorted().toList();

        assertThat(implied).isEqualTo(labelledBurstIds(scenario));
    }

    @Test
    void shouldNotImplyAnEpisodeWhoseCancelsNeverArrived() {
        Scenario scenario = ScenarioGenerator.generate(settings(7, 300, 20));
        Label episode = scenario.truth().mustAlert().stream()
                .filter(l -> l.type() == AlertType.BURST_CREATE_MASS_CANCEL).findFirst().orElseThrow();
        List<OrderEvent> orders = onTimeOrders(scenario).stream()
                .filter(o -> !(o.key().equals(episode.key()) && o.eventType().name().equals("CANCELLED")))
                .collect(Collectors.toList());

        List<String> implied = new BurstOracle(BurstOracle.settingsOf(scenario.settings().burst())).detect(orders)
                .stream().map(BurstDetection::alertId).toList();

        assertThat(implied).doesNotContain(episode.expectedAlertId())
                .hasSize(labelledBurstIds(scenario).size() - 1);
    }

    @Test
    void shouldMapTheScenarioThresholdsOntoTheEngineSettings() {
        BurstRules rules = BurstRules.defaults();
        var s = BurstOracle.settingsOf(rules);
        assertThat(s.minCreates()).isEqualTo(rules.minCreates());
        assertThat(s.minCancels()).isEqualTo(rules.minCancels());
        assertThat(s.burstWindow().toMillis()).isEqualTo(rules.burstWindowMs());
        assertThat(s.cancelWindow().toMillis()).isEqualTo(rules.cancelWindowMs());
        assertThat(s.lateness().toMillis()).isEqualTo(rules.latenessMs());
        assertThat(s.minCancelRatio()).isEqualByComparingTo(rules.minCancelRatio());
        assertThat(s.tickSize()).isEqualByComparingTo(rules.tickSize());
        assertThat(s.minPriceLevels()).isEqualTo(rules.minPriceLevels());
    }
}

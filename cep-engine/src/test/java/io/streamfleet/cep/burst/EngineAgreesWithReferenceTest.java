package io.streamfleet.cep.burst;

import io.streamfleet.cep.engine.EngineHarness;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine and the brute-force reading of the detection rule (docs/cep-detector.md#detection-rule) find the same
 * episodes on random streams and settings.
 */
class EngineAgreesWithReferenceTest {

    record Scenario(BurstSettings settings, List<OrderEvent> events, long watermarkLagMs) {
    }

    @Property(tries = 400)
    void shouldFindExactlyTheReferenceEpisodesWhenStreamIsRandom(@ForAll("scenarios") Scenario scenario) {
        BurstPattern burst = new BurstPattern(scenario.settings());
        List<BruteForceReference.Episode> expected = BruteForceReference.detect(scenario.events(), scenario.settings());
        Statistics.label("matches").collect(expected.size() > 1 ? "several" : expected.size() == 1 ? "one" : "none");
        Statistics.label("matches").coverage(c -> {
            c.check("none").percentage(p -> p > 5 && p < 80);
            c.check("several").count(n -> n > 0);
        });

        List<BruteForceReference.Episode> actual = new EngineHarness<>(burst.pattern())
                .run(scenario.events().stream().map(TrackedOrder::of).toList(), t -> t - scenario.watermarkLagMs())
                .stream().map(burst::describe)
                .map(d -> new BruteForceReference.Episode(d.windowStartMs(), d.windowEndMs(), d.created(),
                        d.canceled(), d.createdPriceLevels(), d.firstBurstEventId()))
                .toList();

        assertThat(actual).isEqualTo(expected);
    }

    @Property(tries = 200)
    void shouldFindEpisodesWhenThresholdsAreTheSpecDefaults(@ForAll("denseStreams") List<OrderEvent> events) {
        BurstSettings settings = BurstSettings.defaults();
        BurstPattern burst = new BurstPattern(settings);

        List<Long> actual = new EngineHarness<>(burst.pattern()).run(events.stream().map(TrackedOrder::of).toList())
                .stream().map(burst::describe).map(BurstDetection::windowStartMs).toList();

        List<Long> expected = BruteForceReference.detect(events, settings).stream()
                .map(BruteForceReference.Episode::windowStartMs).toList();
        Statistics.label("matched").collect(!expected.isEmpty());
        Statistics.label("matched").coverage(c -> c.check(true).percentage(p -> p > 5));
        assertThat(actual).isEqualTo(expected);
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<BurstSettings> settings = Combinators.combine(
                Arbitraries.integers().between(1, 5), Arbitraries.integers().between(1, 4),
                Arbitraries.of("0.5", "0.8", "1.0", "0.75"), Arbitraries.integers().between(1, 3),
                Arbitraries.longs().between(0, 1500), Arbitraries.longs().between(0, 1000))
                .as((creates, cancels, ratio, levels, t1, t2) -> new BurstSettings(creates, cancels,
                        new BigDecimal(ratio), levels, Duration.ofMillis(t1), Duration.ofMillis(t2),
                        new BigDecimal("0.01"), Duration.ZERO));
        return Combinators.combine(settings, streams(60, 4000), Arbitraries.longs().between(0, 3000))
                .as(Scenario::new);
    }

    @Provide
    Arbitrary<List<OrderEvent>> denseStreams() {
        return streams(120, 3000);
    }

    private static Arbitrary<List<OrderEvent>> streams(int maxEvents, long span) {
        Arbitrary<OrderEventType> types = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.just(OrderEventType.CREATED)),
                net.jqwik.api.Tuple.of(4, Arbitraries.just(OrderEventType.CANCELLED)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(OrderEventType.FILLED)));
        Arbitrary<double[]> row = Combinators.combine(Arbitraries.longs().between(0, span),
                Arbitraries.of(1.00, 1.01, 1.015, 1.02, 1.005, 0.995)).as((t, p) -> new double[]{t, p});
        return Combinators.combine(types.list().ofMinSize(maxEvents / 3).ofMaxSize(maxEvents), row.list().ofSize(maxEvents),
                Arbitraries.integers().between(0, 999).list().ofSize(maxEvents))
                .as((kinds, rows, ids) -> {
                    List<OrderEvent> events = new ArrayList<>();
                    for (int i = 0; i < kinds.size(); i++) {
                        // ids collide in value range on purpose less than in time: suffix keeps them unique
                        String id = String.format("e%03d-%03d", ids.get(i), i);
                        events.add(new OrderEvent(id, "acc", "SYM", kinds.get(i), null, Side.SELL, rows.get(i)[1], 1,
                                1_000_000L + (long) rows.get(i)[0] / 50 * 50));
                    }
                    return events;
                });
    }
}

package io.streamfleet.processor.topology;

import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.stats.OrderWindowStats;
import io.streamfleet.contracts.topic.Headers;
import io.streamfleet.processor.stats.WindowSpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.streamfleet.processor.support.Events.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hopping windows composed from panes equal an independent reference taken straight from the definition (every
 * window {@code [k·advance, k·advance + size)} that holds at least one order), in emission order (end, then key),
 * with the latest ingestion time as header — for the default 1 min / 10 s and for a size that is not a multiple of
 * the advance.
 */
class HoppingWindowReferenceTest {

    private static final long B = 1_767_225_600_000L;

    /** An order, its ingestion time (−1: none) and how long after its event time it arrives (within lateness). */
    record Arrival(OrderEvent event, long ingestedAtMs, long delayMs) {
    }

    /** What the sink received, or what the reference expects. */
    record Emitted(OrderWindowStats stats, long ingestedAtMs) {
    }

    /**
     * Tumbling 1 s and 2 s divide the 10 s panes (windows folded into panes at close), 3 s does not (orders update
     * their pane directly); with 25 s / 10 s (5 s panes) only 1 s folds.
     */
    @Property(tries = 60)
    void shouldEmitExactlyTheReferenceHoppingWindowsInEndOrderWhenPanesComposeThem(
            @ForAll("arrivals") List<Arrival> arrivals, @ForAll boolean oddSize,
            @ForAll("tumblingSeconds") int tumblingSeconds) {
        WindowSpec hopping = oddSize ? WindowSpec.hopping(Duration.ofSeconds(25), Duration.ofSeconds(10))
                : WindowSpec.hopping(Duration.ofMinutes(1), Duration.ofSeconds(10));
        var d = ProcessorTopology.Settings.defaults().withPersistentStores(false);
        var settings = new ProcessorTopology.Settings(d.topics(), d.dedupRetention(), d.ordersLateness(),
                d.engagementLateness(), d.statsGrace(), WindowSpec.tumbling(Duration.ofSeconds(tumblingSeconds)),
                hopping, d.priceTick(), d.queryRetention(), d.progress(), d.punctuationInterval(), false);
        List<Emitted> actual;
        try (DriverHarness h = new DriverHarness(settings)) {
            arrivals.stream().sorted(Comparator.comparingLong(a -> a.event().eventTimeMs() + a.delayMs()))
                    .forEach(a -> h.pipe(a.event(), a.ingestedAtMs()));
            h.goIdle(Duration.ofMinutes(3));
            assertThat(h.ordersLate.isEmpty()).isTrue();
            actual = h.stats.readRecordsToList().stream().filter(r -> r.value().window().equals(hopping.name()))
                    .map(r -> new Emitted(r.value(), Headers.lastLong(r.headers(), Headers.INGESTED_AT_MS, -1)))
                    .toList();
        }

        assertThat(actual).isEqualTo(reference(arrivals, hopping));
    }

    private static List<Emitted> reference(List<Arrival> arrivals, WindowSpec w) {
        // (end, key) → orders; ASCII keys, so String order is the byte order the processor emits in
        Map<Long, Map<String, List<Arrival>>> windows = new TreeMap<>();
        for (Arrival a : arrivals) {
            long t = a.event().eventTimeMs();
            for (long start = Math.floorDiv(t, w.advanceMs()) * w.advanceMs(); start + w.sizeMs() > t;
                 start -= w.advanceMs()) {
                windows.computeIfAbsent(start + w.sizeMs(), e -> new TreeMap<>())
                        .computeIfAbsent(a.event().key(), k -> new ArrayList<>()).add(a);
            }
        }
        List<Emitted> expected = new ArrayList<>();
        windows.forEach((end, byKey) -> byKey.forEach((key, group) -> {
            long created = group.stream().filter(a -> a.event().eventType() == OrderEventType.CREATED).count();
            long cancelled = group.stream().filter(a -> a.event().eventType() == OrderEventType.CANCELLED).count();
            TreeSet<BigDecimal> levels = new TreeSet<>();
            BigDecimal notional = BigDecimal.ZERO;
            for (Arrival a : group) {
                BigDecimal price = new BigDecimal(Double.toString(a.event().price()));
                levels.add(price.divide(new BigDecimal("0.01"), 0, RoundingMode.HALF_UP));
                notional = notional.add(price.multiply(BigDecimal.valueOf(a.event().qty())));
            }
            double ratio = created == 0 ? 0.0 : BigDecimal.valueOf(cancelled)
                    .divide(BigDecimal.valueOf(created), 3, RoundingMode.HALF_UP).doubleValue();
            long ingested = group.stream().mapToLong(Arrival::ingestedAtMs).max().orElse(-1);
            expected.add(new Emitted(new OrderWindowStats(key, w.name(), end - w.sizeMs(), end, created, cancelled,
                    group.size() - created - cancelled, ratio, levels.size(), notional.doubleValue()), ingested));
        }));
        return expected;
    }

    @Provide
    Arbitrary<Integer> tumblingSeconds() {
        return Arbitraries.of(1, 2, 3);
    }

    @Provide
    Arbitrary<List<Arrival>> arrivals() {
        Arbitrary<String> accounts = Arbitraries.of("a1", "a2", "a3");
        Arbitrary<OrderEventType> types = Arbitraries.of(OrderEventType.class);
        Arbitrary<Double> prices = Arbitraries.of(9.99, 10.0, 10.005, 10.01, 10.02, 123.45);
        Arbitrary<Long> qty = Arbitraries.longs().between(1, 500);
        Arbitrary<Long> offsets = Arbitraries.longs().between(0, 90_000);
        Arbitrary<Long> ingested = Arbitraries.longs().between(-1, 9_999);
        Arbitrary<Long> delays = Arbitraries.longs().between(0, 3_000);
        return Combinators.combine(accounts, types, prices, qty, offsets, ingested, delays)
                .as((account, type, price, q, offset, at, delay) ->
                        new Arrival(order("id", account, "SYM", type, price, q, B + offset), at, delay))
                .list().ofMinSize(1).ofMaxSize(50).map(list -> {
                    List<Arrival> unique = new ArrayList<>();
                    for (int i = 0; i < list.size(); i++) {
                        Arrival a = list.get(i);
                        unique.add(new Arrival(a.event().withEventId("e" + i), a.ingestedAtMs(), a.delayMs()));
                    }
                    return unique;
                });
    }
}

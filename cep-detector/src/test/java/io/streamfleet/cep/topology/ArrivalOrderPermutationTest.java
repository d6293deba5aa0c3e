package io.streamfleet.cep.topology;

import io.streamfleet.cep.support.Orders;
import io.streamfleet.contracts.alert.AnomalyAlert;
import io.streamfleet.contracts.event.OrderEvent;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any arrival order in which no event is more than the lateness behind the newest one gives the same alerts as the
 * event-time order, through the whole operator (buffer, watermark, evaluation points, matcher) — also with
 * stream-processor's stream-time marks (the newest event time so far, as it writes them) interleaved at random.
 */
class ArrivalOrderPermutationTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final long LATENESS_MS = 3_000;

    @Property(tries = 200)
    void shouldEmitIdenticalAlertsWhenArrivalIsPermutedWithinLateness(@ForAll("streams") List<OrderEvent> events,
                                                                      @ForAll long seed) {
        List<OrderEvent> inOrder = new ArrayList<>(events);
        inOrder.sort(Comparator.comparingLong(OrderEvent::eventTimeMs).thenComparing(OrderEvent::eventId));
        List<Object> shuffled = withinLateness(events, new Random(seed));

        Map<String, List<AnomalyAlert>> expected = run(new ArrayList<>(inOrder));
        Statistics.label("alerts").collect(expected.isEmpty() ? "none" : "some");
        Statistics.label("alerts").coverage(c -> c.check("some").percentage(p -> p > 15));

        assertThat(run(shuffled)).isEqualTo(expected);
    }

    /**
     * Arrival order by event time plus a jitter below the lateness: nothing can fall behind the watermark. About one
     * arrival in four is followed by a stream-time mark (a {@code Long}) at the newest event time so far.
     */
    private static List<Object> withinLateness(List<OrderEvent> events, Random random) {
        record Arrival(OrderEvent event, long at) {
        }
        List<Arrival> arrivals = new ArrayList<>();
        for (OrderEvent event : events) {
            arrivals.add(new Arrival(event, event.eventTimeMs() + random.nextLong(LATENESS_MS)));
        }
        arrivals.sort(Comparator.comparingLong(Arrival::at));
        List<Object> log = new ArrayList<>();
        long newest = Long.MIN_VALUE;
        for (Arrival arrival : arrivals) {
            log.add(arrival.event());
            newest = Math.max(newest, arrival.event().eventTimeMs());
            if (random.nextInt(4) == 0) {
                log.add(newest);
            }
        }
        return log;
    }

    /** Alerts per key in emission order (order across keys is not part of the contract: keys live on partitions). */
    private static Map<String, List<AnomalyAlert>> run(List<Object> arrivals) {
        try (DriverHarness harness = new DriverHarness()) {
            for (Object arrival : arrivals) {
                if (arrival instanceof OrderEvent event) {
                    harness.pipe(event, -1);
                } else {
                    harness.progress((Long) arrival);
                }
            }
            harness.settle();
            return harness.alerts().stream().map(a -> new AnomalyAlert(a.alertId(), a.type(), a.accountId(), a.symbol(),
                    a.windowStartMs(), a.windowEndMs(), a.created(), a.canceled(), a.cancelRatio(),
                    a.uniquePriceLevels(), a.createdPriceLevels(), 0, a.note()))
                    .collect(Collectors.groupingBy(AnomalyAlert::key, TreeMap::new, Collectors.toList()));
        }
    }

    @Provide
    Arbitrary<List<OrderEvent>> streams() {
        record Shape(int creates, int cancels, long start, int noise) {
        }
        Arbitrary<Shape> shape = Combinators.combine(Arbitraries.integers().between(8, 14),
                Arbitraries.integers().between(6, 10), Arbitraries.longs().between(0, 20_000),
                Arbitraries.integers().between(0, 2)).as(Shape::new);
        // several episodes (or near misses) per key, keys unique so event ids are unique as the contract demands
        return shape.list().ofMinSize(1).ofMaxSize(6).map(shapes -> {
            List<OrderEvent> all = new ArrayList<>();
            for (int i = 0; i < shapes.size(); i++) {
                Shape s = shapes.get(i);
                Orders orders = Orders.forKey("acc-" + (i % 3), "SYM" + i / 3);
                orders.creates(s.creates(), T0 + s.start(), 37, 10.00, 10.01, 10.02, 10.03);
                if (s.noise() > 0) {
                    orders.filled(T0 + s.start() + 50).cancelled(T0 + s.start() + 60);
                }
                orders.cancels(s.cancels(), T0 + s.start() + s.creates() * 37L, 11L * (s.noise() + 1));
                all.addAll(orders.build());
            }
            return all;
        });
    }
}

package io.streamfleet.processor.topology;

import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.stats.OrderWindowStats;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

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
 * Any arrival order in which no event is more than the allowed lateness (3 s) behind the events before it yields
 * the same closed-window stats as time order — and the tumbling stats equal an independent reference.
 */
class ArrivalOrderPermutationTest {

    private static final long B = 1_767_225_600_000L;
    private static final Comparator<OrderWindowStats> ORDER = Comparator.comparing(OrderWindowStats::window)
            .thenComparing(OrderWindowStats::key).thenComparingLong(OrderWindowStats::windowStartMs);

    /** An event plus how long after its event time it arrives (0–3 s). */
    record Arrival(OrderEvent event, long delayMs) {
    }

    @Property(tries = 60)
    void shouldProduceSameClosedWindowStatsWhenArrivalOrderIsPermutedWithinLateness(
            @ForAll("arrivals") @Size(min = 1, max = 60) List<Arrival> arrivals) {
        List<OrderEvent> inTimeOrder = arrivals.stream().map(Arrival::event)
                .sorted(Comparator.comparingLong(OrderEvent::eventTimeMs)).toList();
        List<OrderEvent> shuffled = arrivals.stream()
                .sorted(Comparator.comparingLong(a -> a.event().eventTimeMs() + a.delayMs()))
                .map(Arrival::event).toList();

        List<OrderWindowStats> expected = run(inTimeOrder, false);
        List<OrderWindowStats> actual = run(shuffled, true);

        assertThat(actual).isEqualTo(expected);
        assertThat(actual.stream().filter(s -> s.window().equals("tumbling-1s")).toList())
                .isEqualTo(referenceTumbling(inTimeOrder));
    }

    private static List<OrderWindowStats> run(List<OrderEvent> events, boolean expectNoLate) {
        try (DriverHarness h = new DriverHarness()) {
            h.pipe(events);
            h.goIdle(Duration.ofMinutes(3));
            if (expectNoLate) {
                assertThat(h.ordersLate.isEmpty()).as("nothing is late within the bound").isTrue();
            }
            return h.stats.readValuesToList().stream().sorted(ORDER).toList();
        }
    }

    /** Straight from the definition: group by key and second, count, sum exactly, round levels half-up. */
    private static List<OrderWindowStats> referenceTumbling(List<OrderEvent> events) {
        Map<String, List<OrderEvent>> groups = new TreeMap<>();
        for (OrderEvent e : events) {
            groups.computeIfAbsent(e.key() + "@" + (e.eventTimeMs() / 1000 * 1000), k -> new ArrayList<>()).add(e);
        }
        List<OrderWindowStats> result = new ArrayList<>();
        for (List<OrderEvent> group : groups.values()) {
            long start = group.get(0).eventTimeMs() / 1000 * 1000;
            long created = group.stream().filter(e -> e.eventType() == OrderEventType.CREATED).count();
            long cancelled = group.stream().filter(e -> e.eventType() == OrderEventType.CANCELLED).count();
            long filled = group.size() - created - cancelled;
            TreeSet<BigDecimal> levels = new TreeSet<>();
            BigDecimal notional = BigDecimal.ZERO;
            for (OrderEvent e : group) {
                BigDecimal price = new BigDecimal(Double.toString(e.price()));
                levels.add(price.divide(new BigDecimal("0.01"), 0, RoundingMode.HALF_UP));
                notional = notional.add(price.multiply(BigDecimal.valueOf(e.qty())));
            }
            double ratio = created == 0 ? 0.0 : BigDecimal.valueOf(cancelled)
                    .divide(BigDecimal.valueOf(created), 3, RoundingMode.HALF_UP).doubleValue();
            result.add(new OrderWindowStats(group.get(0).key(), "tumbling-1s", start, start + 1000, created,
                    cancelled, filled, ratio, levels.size(), notional.doubleValue()));
        }
        return result.stream().sorted(ORDER).toList();
    }

    @Provide
    Arbitrary<List<Arrival>> arrivals() {
        Arbitrary<String> accounts = Arbitraries.of("a1", "a2", "a3");
        Arbitrary<OrderEventType> types = Arbitraries.of(OrderEventType.class);
        Arbitrary<Double> prices = Arbitraries.of(9.99, 10.0, 10.005, 10.01, 10.02, 123.45);
        Arbitrary<Long> qty = Arbitraries.longs().between(1, 500);
        Arbitrary<Long> offsets = Arbitraries.longs().between(0, 25_000);
        Arbitrary<Long> delays = Arbitraries.longs().between(0, 3_000);
        Arbitrary<Arrival> one = Combinators.combine(accounts, types, prices, qty, offsets, delays)
                .as((account, type, price, q, offset, delay) ->
                        new Arrival(order("id", account, "SYM", type, price, q, B + offset), delay));
        return one.list().map(list -> {
            List<Arrival> unique = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                Arrival a = list.get(i);
                unique.add(new Arrival(a.event().withEventId("e" + i), a.delayMs()));
            }
            return unique;
        });
    }
}

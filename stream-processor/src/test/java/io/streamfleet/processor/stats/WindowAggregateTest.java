package io.streamfleet.processor.stats;

import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.stats.OrderWindowStats;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static io.streamfleet.processor.support.Events.order;
import static org.assertj.core.api.Assertions.assertThat;

class WindowAggregateTest {

    private final PriceTicks ticks = new PriceTicks(new BigDecimal("0.01"));
    private final WindowSpec second = WindowSpec.tumbling(Duration.ofSeconds(1));

    @Test
    void shouldRoundCancelRatioHalfUpToThreeDecimalsWhenComputingStats() {
        WindowAggregate a = WindowAggregate.empty();
        for (int i = 0; i < 16; i++) {
            a = a.add(order("c" + i, "a", "S", OrderEventType.CREATED, 1.0, 1, 0), 100, -1);
        }
        for (int i = 0; i < 13; i++) {
            a = a.add(order("x" + i, "a", "S", OrderEventType.CANCELLED, 1.0, 1, 0), 100, -1);
        }
        assertThat(a.cancelRatio()).isEqualTo(0.813); // 13/16 = 0.8125
    }

    @Test
    void shouldReportZeroRatioWhenNothingWasCreated() {
        WindowAggregate a = WindowAggregate.empty()
                .add(order("x", "a", "S", OrderEventType.CANCELLED, 1.0, 1, 0), 100, -1);
        assertThat(a.toStats("a|S", second, 0)).isEqualTo(
                new OrderWindowStats("a|S", "tumbling-1s", 0, 1000, 0, 1, 0, 0.0, 1, 1.0));
    }

    @Test
    void shouldSumNotionalExactlyWhenBinaryDoublesWouldDrift() {
        WindowAggregate a = WindowAggregate.empty();
        for (int i = 0; i < 10; i++) {
            a = a.add(order("c" + i, "a", "S", OrderEventType.CREATED, 0.1, 1, 0), 10, -1);
        }
        assertThat(a.toStats("a|S", second, 0).notional()).isEqualTo(1.0);
    }

    @Property(tries = 200)
    void shouldGiveTheSameAggregateWhenThePriceIsConvertedToDecimalOnceByTheCaller(
            @ForAll @IntRange(min = 1, max = 10_000_000) int cents, @ForAll @IntRange(min = 1, max = 1000) int qty,
            @ForAll @IntRange(min = 0, max = 3) int scale) {
        double price = cents / Math.pow(10, scale + 1);
        OrderEvent event = order("p", "a", "S", OrderEventType.FILLED, price, qty, 0);
        BigDecimal decimal = BigDecimal.valueOf(price);
        assertThat(ticks.levelOf(decimal)).isEqualTo(ticks.levelOf(price));
        WindowAggregate once = WindowAggregate.empty().add(event, ticks.levelOf(decimal),
                decimal.multiply(BigDecimal.valueOf(qty)), 7);
        assertThat(once).isEqualTo(WindowAggregate.empty().add(event, ticks.levelOf(price), 7));
        assertThat(WindowAggregate.notionalOf(event)).isEqualByComparingTo(decimal.multiply(BigDecimal.valueOf(qty)));
    }

    @Test
    void shouldCountDistinctTickLevelsWhenPricesRoundToTheSameLevel() {
        assertThat(ticks.levelOf(1.005)).isEqualTo(101);
        assertThat(ticks.levelOf(10.004)).isEqualTo(1000);
        WindowAggregate a = WindowAggregate.empty();
        for (double price : new double[] {10.0, 10.004, 10.01, 10.005, 9.99}) {
            a = a.add(order("p", "a", "S", OrderEventType.CREATED, price, 1, 0), ticks.levelOf(price), -1);
        }
        assertThat(a.levels()).containsExactly(999, 1000, 1001);
    }

    @Test
    void shouldKeepLatestIngestionTimeWhenEventsArriveInAnyOrder() {
        WindowAggregate a = WindowAggregate.empty()
                .add(order("1", "a", "S", OrderEventType.CREATED, 1.0, 1, 0), 100, 50)
                .add(order("2", "a", "S", OrderEventType.CREATED, 1.0, 1, 0), 100, 40);
        assertThat(a.lastIngestedAtMs()).isEqualTo(50);
    }

    @Test
    void shouldAddCountsAndNotionalUniteLevelsAndKeepLatestIngestionWhenMerged() {
        WindowAggregate left = WindowAggregate.empty()
                .add(order("1", "a", "S", OrderEventType.CREATED, 10.0, 2, 0), 1000, 70)
                .add(order("2", "a", "S", OrderEventType.CANCELLED, 10.02, 1, 0), 1002, 40);
        WindowAggregate right = WindowAggregate.empty()
                .add(order("3", "a", "S", OrderEventType.FILLED, 10.01, 3, 0), 1001, 55)
                .add(order("4", "a", "S", OrderEventType.CREATED, 10.02, 1, 0), 1002, -1);

        WindowAggregate merged = left.merge(right);

        assertThat(merged.created()).isEqualTo(2);
        assertThat(merged.cancelled()).isEqualTo(1);
        assertThat(merged.filled()).isEqualTo(1);
        assertThat(merged.notional()).isEqualByComparingTo("70.07");
        assertThat(merged.levels()).containsExactly(1000, 1001, 1002);
        assertThat(merged.lastIngestedAtMs()).isEqualTo(70);
        assertThat(right.merge(left)).isEqualTo(merged);
        assertThat(merged.merge(WindowAggregate.empty())).isEqualTo(merged);
        assertThat(WindowAggregate.empty().merge(WindowAggregate.empty())).isEqualTo(WindowAggregate.empty());
    }

    /** One order with its price level and ingestion time (−1: none). */
    record Priced(OrderEvent order, long level, long ingestedAtMs) {
    }

    @Property(tries = 300)
    void shouldEqualOneAggregateOfAllOrdersWhenPanesOfAnySplitAreMergedInAnyOrder(
            @ForAll("orders") @Size(max = 40) List<Priced> orders, @ForAll @IntRange(min = 1, max = 7) int parts,
            @ForAll long seed) {
        WindowAggregate whole = WindowAggregate.empty();
        for (Priced p : orders) {
            whole = whole.add(p.order(), p.level(), p.ingestedAtMs());
        }
        Random random = new Random(seed);
        List<WindowAggregate> panes = new ArrayList<>(Collections.nCopies(parts, WindowAggregate.empty()));
        for (Priced p : orders) {
            int pane = random.nextInt(parts);
            panes.set(pane, panes.get(pane).add(p.order(), p.level(), p.ingestedAtMs()));
        }
        Collections.shuffle(panes, random);
        // merge in a random grouping: repeatedly join two random neighbours
        while (panes.size() > 1) {
            int at = random.nextInt(panes.size() - 1);
            panes.set(at, panes.get(at).merge(panes.remove(at + 1)));
        }

        assertThat(panes.get(0)).isEqualTo(whole);
        assertThat(panes.get(0).toStats("a|S", second, 0)).isEqualTo(whole.toStats("a|S", second, 0));
    }

    @Provide
    Arbitrary<List<Priced>> orders() {
        Arbitrary<OrderEventType> types = Arbitraries.of(OrderEventType.class);
        Arbitrary<Double> prices = Arbitraries.of(0.1, 0.2, 9.99, 10.0, 10.004, 10.005, 10.01, 123.45);
        Arbitrary<Long> qty = Arbitraries.longs().between(1, 1000);
        Arbitrary<Long> ingested = Arbitraries.longs().between(-1, 5000);
        return Combinators.combine(types, prices, qty, ingested)
                .as((type, price, q, at) -> new Priced(order("o", "a", "S", type, price, q, 0), ticks.levelOf(price),
                        at))
                .list();
    }
}

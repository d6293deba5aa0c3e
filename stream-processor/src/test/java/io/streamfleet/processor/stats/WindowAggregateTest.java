package io.streamfleet.processor.stats;

import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.stats.OrderWindowStats;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;

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
}

package io.streamfleet.processor.stats;

import io.streamfleet.contracts.stats.OrderWindowStats;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TopCancelRatioTest {

    private static OrderWindowStats w(String key, long end, long created, long cancelled) {
        double ratio = created == 0 ? 0 : Math.round(cancelled * 1000.0 / created) / 1000.0;
        return new OrderWindowStats(key, "hopping-1m", end - 60_000, end, created, cancelled, 0, ratio, 1, 1.0);
    }

    @Test
    void shouldRankByCancelRatioThenCreatedThenKeyWhenMerging() {
        List<OrderWindowStats> ranked = TopCancelRatio.rank(List.of(
                w("b", 120_000, 10, 9), w("a", 120_000, 20, 18), w("c", 120_000, 10, 10), w("d", 120_000, 10, 1),
                w("e", 120_000, 20, 18)), 120_000, 60_000, 1, 3);

        assertThat(ranked).extracting(OrderWindowStats::key).containsExactly("c", "a", "e");
    }

    @Test
    void shouldUseEachKeysLatestWindowWithinTheLastMinuteOnly() {
        List<OrderWindowStats> ranked = TopCancelRatio.rank(List.of(
                w("a", 100_000, 10, 10), w("a", 120_000, 10, 0), w("old", 60_000, 10, 10),
                w("future", 130_000, 10, 10)), 120_000, 60_000, 1, 10);

        assertThat(ranked).extracting(OrderWindowStats::key, OrderWindowStats::windowEndMs)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", 120_000L));
    }

    @Test
    void shouldLeaveOutKeysWithTooFewCreatesWhenMinimumIsSet() {
        List<OrderWindowStats> ranked = TopCancelRatio.rank(List.of(w("tiny", 120_000, 1, 1),
                w("big", 120_000, 50, 40)), 120_000, 60_000, 5, 10);

        assertThat(ranked).extracting(OrderWindowStats::key).containsExactly("big");
    }
}

package io.streamfleet.processor.topology;

import io.streamfleet.contracts.stats.OrderWindowStats;
import io.streamfleet.contracts.topic.Topics;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class LastStatsSerializerTest {

    private static final Serializer<OrderWindowStats> SERDE = Topics.ORDER_STATS_SERDE.serializer();

    @Test
    void shouldGiveTheSerdesBytesAndSerializeOnceWhenTheSameWindowIsWrittenTwice() {
        AtomicInteger calls = new AtomicInteger();
        var once = new LastStatsSerializer((topic, stats) -> {
            calls.incrementAndGet();
            return SERDE.serialize(topic, stats);
        });
        OrderWindowStats a = stats("a|S", 1);
        OrderWindowStats b = stats("b|S", 2);

        assertThat(once.serialize("orders.stats", a)).isEqualTo(SERDE.serialize("t", a));
        assertThat(once.serialize("stats-closed-tumbling-changelog", a)).isEqualTo(SERDE.serialize("t", a));
        assertThat(calls).hasValue(1);
        assertThat(once.serialize("orders.stats", b)).isEqualTo(SERDE.serialize("t", b));
        assertThat(once.serialize("orders.stats", a)).isEqualTo(SERDE.serialize("t", a));
        assertThat(calls).hasValue(3);
    }

    @Test
    void shouldSerializeAnEqualButDistinctWindowAgainWhenAsked() {
        AtomicInteger calls = new AtomicInteger();
        var once = new LastStatsSerializer((topic, stats) -> {
            calls.incrementAndGet();
            return SERDE.serialize(topic, stats);
        });
        // identity, not equality: only the very object whose bytes were written answers from them
        once.serialize("orders.stats", stats("a|S", 1));
        assertThat(once.serialize("orders.stats", stats("a|S", 1))).isEqualTo(SERDE.serialize("t", stats("a|S", 1)));
        assertThat(calls).hasValue(2);
        assertThat(once.serialize("orders.stats", null)).isNull();
    }

    private static OrderWindowStats stats(String key, long created) {
        return new OrderWindowStats(key, "tumbling-1s", 0, 1_000, created, 0, 0, 0.0, 1, 1.5);
    }
}

package io.streamfleet.support.streams;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressWatchTest {

    private final long[] now = {1_000};
    private final StreamsLagBacklogProbe.ProgressWatch watch =
            new StreamsLagBacklogProbe.ProgressWatch(30_000, () -> now[0]);
    private final TopicPartition partition = new TopicPartition("orders.raw", 0);

    @Test
    void shouldCountAsStalledOnlyAfterTheOffsetStoodStillLongerThanTheBound() {
        assertThat(watch.stalled(partition, 10)).isFalse();
        now[0] += 30_000;
        assertThat(watch.stalled(partition, 10)).as("exactly at the bound").isFalse();
        now[0] += 1;
        assertThat(watch.stalled(partition, 10)).isTrue();
    }

    @Test
    void shouldRestartTheBoundWhenTheProcessorMakesProgress() {
        watch.stalled(partition, 10);
        now[0] += 29_000;
        assertThat(watch.stalled(partition, 11)).isFalse();
        now[0] += 29_000;
        assertThat(watch.stalled(partition, 11)).as("29 s since offset 11").isFalse();
    }

    @Test
    void shouldWatchEachPartitionOnItsOwn() {
        watch.stalled(partition, 10);
        now[0] += 31_000;
        assertThat(watch.stalled(new TopicPartition("orders.raw", 1), 10)).isFalse();
        assertThat(watch.stalled(partition, 10)).isTrue();
    }
}

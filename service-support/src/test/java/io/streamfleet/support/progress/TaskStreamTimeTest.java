package io.streamfleet.support.progress;

import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

import static io.streamfleet.contracts.progress.ProgressMark.clock;
import static io.streamfleet.contracts.progress.ProgressMark.streamTime;
import static org.assertj.core.api.Assertions.assertThat;

class TaskStreamTimeTest {

    private final ProgressRules rules = ProgressRules.defaults();
    private final KeyValueStore<String, Long> store = InMemoryTimeStore.open();

    @Test
    void shouldResumeWhereTheLastRecordLeftTimeWithoutAnExplicitSave() {
        TaskStreamTime time = TaskStreamTime.load(store, rules);
        assertThat(time.onData(5_000)).isEqualTo(5_000);
        time.onMark(clock("gw-1", 100_000));
        time.onMark(clock("gw-2", 100_000));
        time.onMark(clock("gw-1", 102_000));
        assertThat(time.onMark(clock("gw-2", 102_000))).as("idle for 2 s of producer clock").isEqualTo(7_000);

        TaskStreamTime restarted = TaskStreamTime.load(store, rules);

        assertThat(restarted.streamTimeMs()).isEqualTo(7_000);
        assertThat(restarted.liveSources()).containsOnlyKeys("gw-1", "gw-2");
        restarted.onMark(clock("gw-1", 103_000));
        assertThat(restarted.onMark(clock("gw-2", 103_000))).isEqualTo(8_000);
    }

    @Test
    void shouldHaveNoTimeBeforeTheFirstRecord() {
        assertThat(TaskStreamTime.load(store, rules).streamTimeMs()).isEqualTo(PartitionTime.NONE);
    }

    @Test
    void shouldStartFromTheSeedOnlyWhenTheStoreHeldNoTime() {
        TaskStreamTime fresh = TaskStreamTime.load(store, rules);
        fresh.seedIfUnset(3_000);
        assertThat(fresh.streamTimeMs()).isEqualTo(3_000);
        assertThat(store.get(PartitionTime.STREAM_TIME)).as("saved with the next move, not at start").isNull();
        assertThat(fresh.onData(1_000)).as("never goes back below the seed").isEqualTo(3_000);
        assertThat(store.get(PartitionTime.STREAM_TIME)).isEqualTo(3_000L);

        TaskStreamTime restarted = TaskStreamTime.load(store, rules);
        restarted.seedIfUnset(99_000);
        assertThat(restarted.streamTimeMs()).isEqualTo(3_000);
    }

    @Test
    void shouldSaveAStreamTimeMarkAtOnce() {
        TaskStreamTime time = TaskStreamTime.load(store, rules);

        assertThat(time.onMark(streamTime("stream-processor", 42_000))).isEqualTo(42_000);

        assertThat(store.get(PartitionTime.STREAM_TIME)).isEqualTo(42_000L);
    }
}

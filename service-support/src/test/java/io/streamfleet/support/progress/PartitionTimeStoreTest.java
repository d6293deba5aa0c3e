package io.streamfleet.support.progress;

import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.streamfleet.contracts.progress.ProgressMark.clock;
import static io.streamfleet.contracts.progress.ProgressMark.leaving;
import static org.assertj.core.api.Assertions.assertThat;

class PartitionTimeStoreTest {

    private final ProgressRules rules = ProgressRules.defaults();
    private KeyValueStore<String, Long> store;

    @BeforeEach
    void openStore() {
        store = InMemoryTimeStore.open();
    }

    @Test
    void shouldRestoreTheSameTimeAfterSaveAndLoad() {
        PartitionTimeStore adapter = new PartitionTimeStore(store);
        PartitionTime time = adapter.load(rules);
        time.onData(5_000);
        time.onMark(clock("a", 100_000));
        time.onMark(clock("b", 100_000));
        adapter.save(time);

        PartitionTime loaded = new PartitionTimeStore(store).load(rules);
        assertThat(loaded.entries()).isEqualTo(time.entries());
        loaded.onMark(clock("a", 103_000));
        loaded.onMark(clock("b", 103_000));
        assertThat(loaded.streamTimeMs()).isEqualTo(8_000);
    }

    @Test
    void shouldDeleteTheEntryOfAWriterThatLeftAndLeaveOtherKeysAlone() {
        store.put("watermark", 42L);
        PartitionTimeStore adapter = new PartitionTimeStore(store);
        PartitionTime time = adapter.load(rules);
        time.onMark(clock("a", 100_000));
        time.onMark(clock("b", 100_000));
        adapter.save(time);
        time.onMark(leaving("b", 100_100));
        adapter.save(time);

        assertThat(contents()).containsEntry("watermark", 42L).containsEntry("progress.source.a", 100_000L)
                .doesNotContainKey("progress.source.b");
    }

    @Test
    void shouldWriteNothingWhenADataRecordDoesNotChangeTime() {
        PartitionTimeStore adapter = new PartitionTimeStore(store);
        PartitionTime time = adapter.load(rules);
        time.onData(5_000);
        adapter.save(time);
        store.delete("stream-time"); // a write now would put it back
        time.onData(4_000);
        adapter.save(time);
        assertThat(contents()).doesNotContainKey("stream-time");
    }

    private Map<String, Long> contents() {
        return InMemoryTimeStore.contents(store);
    }
}

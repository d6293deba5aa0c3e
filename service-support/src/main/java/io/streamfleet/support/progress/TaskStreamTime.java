package io.streamfleet.support.progress;

import io.streamfleet.contracts.progress.ProgressMark;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.Map;
import java.util.SortedMap;

/**
 * The stream time of one stream task's input partition: a {@link PartitionTime} loaded from the task's changelogged
 * store when the task starts (the store is restored before {@code init}) and saved there by every record that moves
 * it, so it is written in the same exactly-once transaction as the task's output and resumes exactly where the last
 * committed record left it. Not thread-safe: one instance per task.
 */
public final class TaskStreamTime {

    private final PartitionTimeStore store;
    private final ProgressRules rules;
    private PartitionTime time;

    private TaskStreamTime(PartitionTimeStore store, ProgressRules rules) {
        this.store = store;
        this.rules = rules;
        this.time = store.load(rules);
    }

    /** The time kept in {@code store} (which may hold other keys too), or no time yet. */
    public static TaskStreamTime load(KeyValueStore<String, Long> store, ProgressRules rules) {
        return new TaskStreamTime(new PartitionTimeStore(store), rules);
    }

    /**
     * For state written before progress records existed, which kept only a bound elsewhere: when the store holds no
     * stream time, start from {@code streamTimeMs} (saved with the next record that moves time).
     */
    public void seedIfUnset(long streamTimeMs) {
        if (time.streamTimeMs() == PartitionTime.NONE) {
            time = PartitionTime.restore(rules, Map.of(PartitionTime.STREAM_TIME, streamTimeMs));
        }
    }

    /** Stream time, or {@link PartitionTime#NONE} before the first data record or mark. */
    public long streamTimeMs() {
        return time.streamTimeMs();
    }

    /** The producers that currently hold time back, with their latest clock. */
    public SortedMap<String, Long> liveSources() {
        return time.liveSources();
    }

    /** An accepted data record; returns the stream time after it. */
    public long onData(long eventTimeMs) {
        long after = time.onData(eventTimeMs);
        store.save(time);
        return after;
    }

    /** A progress mark; returns the stream time after it. */
    public long onMark(ProgressMark mark) {
        long after = time.onMark(mark);
        store.save(time);
        return after;
    }
}

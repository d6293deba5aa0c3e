package io.streamfleet.support.streams;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Follows the restore of state stores from their changelogs, so that readiness can say "restoring, n records left"
 * instead of only "not ready", and the restore shows on the dashboards. Called by Kafka Streams' restoring threads.
 *
 * <p>"Records left" is counted in changelog offsets: the end offset minus the last restored offset. Under exactly-once
 * the offsets include transaction markers and aborted writes, so it is an upper bound that reaches 0 at the end.
 */
public final class RestoreProgress implements StateRestoreListener {

    private static final Logger log = LoggerFactory.getLogger(RestoreProgress.class);

    /** One changelog partition being restored. */
    private record Restoring(String store, long startOffset, long endOffset, long startedNanos, AtomicLong position) {

        long remaining() {
            return Math.max(0, endOffset - position.get());
        }
    }

    /** What readiness and the gauges show. */
    public record Snapshot(int partitions, long remainingRecords, long restoredRecords) {
    }

    private final Map<TopicPartition, Restoring> active = new ConcurrentHashMap<>();
    private final AtomicLong restored = new AtomicLong();

    @Override
    public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
        active.put(partition, new Restoring(store, startingOffset, endingOffset, System.nanoTime(),
                new AtomicLong(startingOffset)));
        log.info("Restoring {} from {} (offsets {} to {})", store, partition, startingOffset, endingOffset);
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
        restored.addAndGet(numRestored);
        Restoring restoring = active.get(partition);
        if (restoring != null) {
            restoring.position().set(batchEndOffset + 1);
        }
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
        Restoring restoring = active.remove(partition);
        if (restoring != null) {
            log.info("Restored {} records of {} from {} in {} ms", totalRestored, store, partition,
                    (System.nanoTime() - restoring.startedNanos()) / 1_000_000);
        }
    }

    @Override
    public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
        // the task moved away or was closed mid-restore: it no longer counts as pending here
        active.remove(partition);
    }

    /** The restores in flight now and the records restored since start. */
    public Snapshot snapshot() {
        long remaining = 0;
        int partitions = 0;
        for (Restoring restoring : active.values()) {
            remaining += restoring.remaining();
            partitions++;
        }
        return new Snapshot(partitions, remaining, restored.get());
    }
}

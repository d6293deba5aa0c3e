package io.streamfleet.support.time;

/**
 * Whether an input partition still has records that the processor has not seen. Idle advance must only move time on
 * a partition that is silent because nothing is left to read, not on one that is merely waiting its turn while the
 * stream thread catches up on a backlog (that would push the watermark past unread events and make them late).
 */
@FunctionalInterface
public interface BacklogProbe {

    /** Offset to pass when the processor has not seen a record of the partition yet. */
    long NOTHING_PROCESSED = -1;

    /**
     * @param lastProcessedOffset offset of the last record of the partition the processor has seen since it was
     *                            initialised, or {@link #NOTHING_PROCESSED}
     */
    boolean hasBacklog(String topic, int partition, long lastProcessedOffset);

    /**
     * Highest offset of the partition already handed to the stream thread, or {@link #NOTHING_PROCESSED}. A processor
     * takes it as its starting point when initialised, so records fetched before it owned the partition (an earlier
     * assignment) do not count as waiting for it.
     */
    default long fetchedOffset(String topic, int partition) {
        return NOTHING_PROCESSED;
    }

    /** No lag information: a silent partition is taken to be idle (tests, benchmarks with the test driver). */
    static BacklogProbe none() {
        return (topic, partition, lastProcessedOffset) -> false;
    }
}

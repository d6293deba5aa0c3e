package io.streamfleet.support.time;

/**
 * Whether the consumer still has unread records for an input partition. Idle advance must only move time on a
 * partition that is silent because nothing is left to read, not on one that is merely waiting its turn while the
 * stream thread catches up on a backlog (that would push the watermark past unread events and make them late).
 */
@FunctionalInterface
public interface BacklogProbe {

    boolean hasBacklog(String topic, int partition);

    /** No lag information: a silent partition is taken to be idle (tests, benchmarks with the test driver). */
    static BacklogProbe none() {
        return (topic, partition) -> false;
    }
}

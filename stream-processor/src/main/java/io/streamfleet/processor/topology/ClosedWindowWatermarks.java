package io.streamfleet.processor.topology;

import io.streamfleet.support.processor.TaskSnapshots;

/**
 * Per instance: up to which event time each local stats task has closed its windows. Interactive queries use the
 * latest of them as "now" for "the last minute", so queries mean the same for live and replayed data.
 */
public final class ClosedWindowWatermarks {

    private final TaskSnapshots<Long> perTask = new TaskSnapshots<>();

    void report(String task, long closedUpToMs) {
        perTask.report(task, closedUpToMs);
    }

    void forget(String task) {
        perTask.forget(task);
    }

    /** The latest closed-up-to time over the local tasks, or {@link Long#MIN_VALUE} when none closed anything. */
    public long latest() {
        return perTask.max(Long::longValue, Long.MIN_VALUE);
    }
}

package io.streamfleet.processor.topology;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per instance: up to which event time each local stats task has closed its windows. Interactive queries use the
 * latest of them as "now" for "the last minute", so queries mean the same for live and replayed data.
 */
public final class ClosedWindowWatermarks {

    private final Map<String, Long> perTask = new ConcurrentHashMap<>();

    void report(String task, long closedUpToMs) {
        perTask.put(task, closedUpToMs);
    }

    void forget(String task) {
        perTask.remove(task);
    }

    /** The latest closed-up-to time over the local tasks, or {@link Long#MIN_VALUE} when none closed anything. */
    public long latest() {
        return perTask.values().stream().mapToLong(Long::longValue).max().orElse(Long.MIN_VALUE);
    }
}

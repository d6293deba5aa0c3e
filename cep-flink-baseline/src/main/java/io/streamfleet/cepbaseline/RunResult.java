package io.streamfleet.cepbaseline;

import java.util.List;

/**
 * One timed run.
 *
 * @param engine       what ran (engine and parallelism)
 * @param events       events fed
 * @param seconds      timed part, see each runner for what it covers
 * @param grossSeconds including set-up and tear-down (Flink: job submission and MiniCluster start-up)
 * @param cpuSeconds   process CPU time (all threads) over the timed part
 * @param detections   episodes reported, after the post-filter
 * @param outOfOrder   events dropped for arriving out of (time, id) order within their key
 */
public record RunResult(String engine, int events, double seconds, double grossSeconds, double cpuSeconds,
                        List<Detection> detections, long outOfOrder) {

    public RunResult {
        detections = List.copyOf(detections);
    }

    public double eventsPerSecond() {
        return events / seconds;
    }

    /** Events per second of process CPU time. */
    public double eventsPerCpuSecond() {
        return events / cpuSeconds;
    }
}

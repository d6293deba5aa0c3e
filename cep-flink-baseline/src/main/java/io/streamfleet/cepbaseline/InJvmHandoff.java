package io.streamfleet.cepbaseline;

import io.streamfleet.contracts.event.OrderEvent;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Passes a run's pre-generated stream into a Flink job running in this JVM (local MiniCluster) and its detections
 * back out, without serialising millions of events into the job graph or relying on the collect sink (which loses
 * its tail when the per-job MiniCluster shuts down first). Also takes the times the job read its first event and
 * wrote its last result. Only valid for in-process execution, which is the point of the baseline: both engines read
 * the same array from memory.
 */
final class InJvmHandoff {

    private static final Map<String, Run> RUNS = new ConcurrentHashMap<>();

    private InJvmHandoff() {
    }

    static void open(String runId, OrderEvent[] events) {
        RUNS.put(runId, new Run(events, new ConcurrentLinkedQueue<>(), new AtomicLong(Long.MAX_VALUE),
                new AtomicLong(Long.MIN_VALUE), new AtomicLong(), new AtomicLong(Long.MIN_VALUE)));
    }

    static OrderEvent[] events(String runId) {
        return run(runId).events();
    }

    /** The earliest call wins; the process CPU time is taken with the first call. */
    static void markFirstRead(String runId, long nanoTime) {
        Run run = run(runId);
        if (run.firstReadNanos().compareAndSet(Long.MAX_VALUE, nanoTime)) {
            run.firstReadCpuNanos().set(ProcessCpu.nanos());
        } else {
            run.firstReadNanos().accumulateAndGet(nanoTime, Math::min);
        }
    }

    static void add(String runId, Detection detection) {
        run(runId).detections().add(detection);
    }

    /** The latest call wins, for the process CPU time too. */
    static void markInputDone(String runId, long nanoTime) {
        Run run = run(runId);
        run.lastWriteNanos().accumulateAndGet(nanoTime, Math::max);
        run.lastWriteCpuNanos().accumulateAndGet(ProcessCpu.nanos(), Math::max);
    }

    /** Process CPU seconds (all threads) from the first event read to the last sink subtask done. */
    static double cpuSeconds(String runId) {
        Run run = run(runId);
        return (run.lastWriteCpuNanos().get() - run.firstReadCpuNanos().get()) / 1e9;
    }

    /** Seconds from the first event read to the last sink subtask seeing the end of its input. */
    static double busySeconds(String runId) {
        Run run = run(runId);
        return (run.lastWriteNanos().get() - run.firstReadNanos().get()) / 1e9;
    }

    static List<Detection> detections(String runId) {
        return List.copyOf(run(runId).detections());
    }

    static void close(String runId) {
        RUNS.remove(runId);
    }

    private static Run run(String runId) {
        Run run = RUNS.get(runId);
        if (run == null) {
            throw new IllegalStateException("no run " + runId + " in this JVM (the Flink job must run in-process)");
        }
        return run;
    }

    private record Run(OrderEvent[] events, Queue<Detection> detections, AtomicLong firstReadNanos,
                       AtomicLong lastWriteNanos, AtomicLong firstReadCpuNanos, AtomicLong lastWriteCpuNanos) {
    }
}

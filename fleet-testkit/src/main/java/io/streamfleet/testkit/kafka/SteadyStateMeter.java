package io.streamfleet.testkit.kafka;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;

/**
 * Steady-state throughput of a Kafka Streams client in a benchmark: watches a "records consumed" count and times the
 * stretch from the first consumed record to the last, so start-up, group join, rebalance and restoration are not in
 * the figure; over the same stretch it reads the CPU time of the client's stream threads ({@link ThreadMXBean}), the
 * cost per record that the load of a shared machine does not distort the way it distorts wall-clock time.
 *
 * <p>The count is polled every millisecond or so, so both ends are known to about that; the records already counted at
 * the first observation are left out of the rate, so a first poll that brought a whole batch does not inflate it.
 */
public final class SteadyStateMeter {

    /** The processing thread itself, not its producer's network thread ({@code ...-StreamThread-1-producer}). */
    private static final Pattern STREAM_THREAD = Pattern.compile(".*-StreamThread-\\d+");
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * What one run measured.
     *
     * @param records        records counted between the first observation and the last (the ones timed)
     * @param seconds        wall-clock time of that stretch
     * @param streamThreads  names of the stream threads whose CPU time was read
     * @param cpuNanos       their CPU time over the stretch (summed)
     * @param total          records counted at the end (all of them, when {@code complete})
     * @param complete       whether the expected count was reached before the timeout
     */
    public record Result(double records, double seconds, List<String> streamThreads, long cpuNanos, double total,
                         boolean complete) {

        public double recordsPerSecond() {
            return records / seconds;
        }

        /** Records per second per stream thread. */
        public double recordsPerSecondPerThread() {
            return recordsPerSecond() / Math.max(1, streamThreads.size());
        }

        public double cpuMicrosPerRecord() {
            return cpuNanos / 1_000.0 / records;
        }

        /** One line for a benchmark's output. */
        public String describe() {
            return String.format("steady state (first consumed record to last): %,.0f records in %.2f s = %,.0f records/s"
                            + " (%,.0f per stream thread); stream-thread CPU %.2f µs/record over %d thread(s)%s",
                    records, seconds, recordsPerSecond(), recordsPerSecondPerThread(), cpuMicrosPerRecord(),
                    streamThreads.size(), complete ? "" : String.format(" — INCOMPLETE: %,.0f counted", total));
        }
    }

    private SteadyStateMeter() {
    }

    /**
     * Waits until {@code consumed} reaches {@code expected} (or {@code timeout} passes) and measures the stretch from
     * the first consumed record on. Call right after starting the client.
     */
    public static Result await(DoubleSupplier consumed, double expected, Duration timeout) throws InterruptedException {
        if (!THREADS.isThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM does not measure thread CPU time");
        }
        THREADS.setThreadCpuTimeEnabled(true);
        long deadline = System.nanoTime() + timeout.toNanos();
        double first;
        while ((first = consumed.getAsDouble()) == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no record consumed within " + timeout);
            }
            Thread.onSpinWait();
            Thread.sleep(1);
        }
        long startedAt = System.nanoTime();
        List<Thread> streamThreads = streamThreads();
        long cpuBefore = cpuNanos(streamThreads);
        double now = first;
        while (now < expected && System.nanoTime() < deadline) {
            Thread.sleep(1);
            now = consumed.getAsDouble();
        }
        long endedAt = System.nanoTime();
        long cpu = cpuNanos(streamThreads) - cpuBefore;
        return new Result(now - first, (endedAt - startedAt) / 1e9, streamThreads.stream().map(Thread::getName).toList(),
                cpu, now, now >= expected);
    }

    /** The live Kafka Streams processing threads of this JVM ({@code <client>-StreamThread-<n>}). */
    static List<Thread> streamThreads() {
        List<Thread> threads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> STREAM_THREAD.matcher(t.getName()).matches()).toList();
        if (threads.isEmpty()) {
            throw new IllegalStateException("no Kafka Streams stream thread is running");
        }
        return threads;
    }

    private static long cpuNanos(List<Thread> threads) {
        long sum = 0;
        for (Thread thread : threads) {
            long cpu = THREADS.getThreadCpuTime(thread.getId());
            if (cpu > 0) {
                sum += cpu;
            }
        }
        return sum;
    }
}

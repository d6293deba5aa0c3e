package io.streamfleet.gateway.warmup;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * What the JVM says about its own warm-up, read at a moment ({@link Settling#UNKNOWN} where it does not measure it):
 * the JIT's total compile time, and the CPU time of the JVM's own threads (its compiler and GC threads are not among
 * them: {@link ThreadMXBean} lists only the threads the application can see).
 */
public interface JvmEvidence {

    /** The JIT's total compile time so far, ms (wall time of all compiler threads together). */
    long compileMillis();

    /** CPU time of the JVM's own live threads so far, ns. */
    long threadCpuNanos();

    /** Nothing measured: the rate alone decides. */
    JvmEvidence UNMEASURED = new JvmEvidence() {
        @Override
        public long compileMillis() {
            return Settling.UNKNOWN;
        }

        @Override
        public long threadCpuNanos() {
            return Settling.UNKNOWN;
        }
    };

    /** This JVM's figures, each where it measures them. */
    static JvmEvidence ofThisJvm() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean compileTimes = jit != null && jit.isCompilationTimeMonitoringSupported();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        boolean cpuTimes = threads.isThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled();
        return new JvmEvidence() {
            @Override
            public long compileMillis() {
                return compileTimes ? jit.getTotalCompilationTime() : Settling.UNKNOWN;
            }

            @Override
            public long threadCpuNanos() {
                if (!cpuTimes) {
                    return Settling.UNKNOWN;
                }
                long sum = 0;
                for (long id : threads.getAllThreadIds()) {
                    sum += Math.max(0, threads.getThreadCpuTime(id)); // -1: the thread ended meanwhile
                }
                return sum;
            }
        };
    }
}

package io.streamfleet.cepbaseline;

import java.lang.management.ManagementFactory;

/**
 * CPU time of this JVM process, all threads together. On a machine shared with other work, wall-clock throughput
 * moves with the load; the CPU the run itself spent moves much less, so the benchmark reports both.
 */
final class ProcessCpu {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private ProcessCpu() {
    }

    static long nanos() {
        return OS.getProcessCpuTime();
    }
}

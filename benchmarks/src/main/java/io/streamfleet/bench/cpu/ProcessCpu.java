package io.streamfleet.bench.cpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * CPU time a process has used so far, from Linux's {@code /proc/PID/stat} (user + system time, fields 14 and 15, in
 * clock ticks). Read from the file rather than from {@code ProcessHandle}, which gives it only for the JVM's own
 * children and not for a fleet started by another process.
 */
public final class ProcessCpu {

    /** Linux reports these fields in USER_HZ, which is 100 on every architecture the kernel exports to user space. */
    static final long TICKS_PER_SECOND = 100;

    private ProcessCpu() {
    }

    /** CPU nanoseconds used by {@code pid} so far, or empty if the process or /proc is not there. */
    public static OptionalLong cpuNanos(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            return OptionalLong.of(parseCpuNanos(Files.readString(stat, StandardCharsets.US_ASCII)));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Parses a {@code stat} line. The command name (field 2) is in parentheses and may itself contain spaces and
     * parentheses, so fields are counted from the last ')'.
     */
    static long parseCpuNanos(String statLine) {
        int end = statLine.lastIndexOf(')');
        if (end < 0) {
            throw new IllegalArgumentException("not a /proc/PID/stat line: " + statLine);
        }
        String[] rest = statLine.substring(end + 2).trim().split(" +");
        // rest[0] is field 3 (state), so field n is rest[n - 3]
        long ticks = Long.parseLong(rest[14 - 3]) + Long.parseLong(rest[15 - 3]);
        return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    }
}

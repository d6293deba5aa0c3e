package io.streamfleet.bench.cpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A JVM's CPU by what its threads do, from Linux's {@code /proc/PID/task/TID/stat}: the JIT's compiler threads, the
 * garbage collector's and VM threads, RocksDB's flush and compaction threads, and everything else (the application,
 * its libraries, Kafka's clients). A JVM a few minutes old still spends a share of its CPU compiling, so a figure per
 * event that leaves the compiler out is the one a long-running fleet approaches. RocksDB's background threads run
 * native code beside the stream threads, so no per-record benchmark of a topology sees them; at 20 000 events/s they
 * were a third of stream-processor's CPU (docs/stream-processor.md).
 */
public final class ThreadRoles {

    /** What a thread does, by the name HotSpot gives it. */
    public enum Role { APP, JIT, GC_VM, ROCKSDB }

    private ThreadRoles() {
    }

    /**
     * By HotSpot's names, as Linux keeps them (15 characters): "C2 CompilerThre", "VM Thread", "GC Thread#0",
     * "G1 Main Marker"; RocksDB names its thread pools "rocksdb:high" (flushes), "rocksdb:low" (compactions) and
     * "rocksdb:bottom".
     */
    static Role of(String threadName) {
        if (threadName.startsWith("C1 CompilerThre") || threadName.startsWith("C2 CompilerThre")) {
            return Role.JIT;
        }
        if (threadName.equals("VM Thread") || threadName.startsWith("GC Thread") || threadName.startsWith("G1 ")
                || threadName.equals("VM Periodic Tas")) {
            return Role.GC_VM;
        }
        if (threadName.startsWith("rocksdb:")) {
            return Role.ROCKSDB;
        }
        return Role.APP;
    }

    /** CPU nanoseconds so far per live thread of {@code pid}: thread id to (role, nanoseconds); empty if unreadable. */
    static Map<Long, Sample> sample(long pid) {
        Map<Long, Sample> threads = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks.forEach(task -> {
                try {
                    String line = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
                    threads.put(Long.parseLong(task.getFileName().toString()),
                            new Sample(of(name(line)), ProcessCpu.parseCpuNanos(line)));
                } catch (IOException | RuntimeException e) {
                    // the thread ended between the listing and the read: it is simply not counted
                }
            });
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return threads;
    }

    /** CPU seconds per role between two samples of one process; threads that ended in between are not counted. */
    static Map<Role, Double> secondsBetween(Map<Long, Sample> from, Map<Long, Sample> to) {
        Map<Role, Double> seconds = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            seconds.put(role, 0.0);
        }
        to.forEach((tid, now) -> {
            Sample before = from.get(tid);
            long used = now.cpuNanos() - (before == null ? 0 : before.cpuNanos());
            seconds.merge(now.role(), Math.max(0, used) / 1e9, Double::sum);
        });
        return seconds;
    }

    /** The thread name of a stat line: between the first '(' and the last ')'. */
    static String name(String statLine) {
        int open = statLine.indexOf('(');
        int close = statLine.lastIndexOf(')');
        if (open < 0 || close < open) {
            throw new IllegalArgumentException("not a /proc/PID/task/TID/stat line: " + statLine);
        }
        return statLine.substring(open + 1, close);
    }

    /** One thread's role and CPU so far. */
    record Sample(Role role, long cpuNanos) {
    }
}

package io.streamfleet.bench.cpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU used by each part of a local fleet (broker and services) between two moments, found through the launcher's
 * pid files ({@code <fleet dir>/pids/<part>.pid}). What a capacity estimate needs: CPU seconds per part and per
 * accepted event, measured on the fleet's own processes rather than guessed from the machine's load.
 */
public final class FleetCpu {

    /**
     * The benchmark's own JVM (load driver, SSE client, lag sampler), measured beside the fleet because it shares the
     * machine's cores; never part of the fleet's cost ({@link PartCpu#isDriver()}).
     */
    public static final String DRIVER = "fleet-bench (driver)";

    /**
     * CPU a part used over the measured span; {@code jitSeconds}, {@code gcSeconds} and {@code rocksdbSeconds} are
     * the shares of its JIT compiler threads, of its GC and VM threads and of RocksDB's flush and compaction threads
     * (0 where /proc has no per-thread figures).
     */
    public record PartCpu(String part, double cpuSeconds, double coreShare, double microsPerEvent, double jitSeconds,
                          double gcSeconds, double rocksdbSeconds) {

        /** CPU per event without the JIT's share: what the part approaches once its code is compiled. */
        public double microsPerEventWithoutJit() {
            return cpuSeconds > 0 ? microsPerEvent * (cpuSeconds - jitSeconds) / cpuSeconds : 0;
        }

        /** The benchmark's own process, not a part of the fleet: left out of the fleet's sums. */
        public boolean isDriver() {
            return DRIVER.equals(part);
        }
    }

    private final Map<String, Long> pids;
    private final Map<String, Long> startNanos;
    private final Map<String, Map<Long, ThreadRoles.Sample>> startThreads;
    private final long startedAt;

    private FleetCpu(Map<String, Long> pids, Map<String, Long> startNanos,
                     Map<String, Map<Long, ThreadRoles.Sample>> startThreads, long startedAt) {
        this.pids = pids;
        this.startNanos = startNanos;
        this.startThreads = startThreads;
        this.startedAt = startedAt;
    }

    /**
     * Starts measuring every part with a live pid in {@code pidsDir}; parts without one are left out. When there is
     * any, this JVM is measured too, as {@link #DRIVER}.
     */
    public static FleetCpu start(Path pidsDir) {
        Map<String, Long> pids = new TreeMap<>();
        if (Files.isDirectory(pidsDir)) {
            try (Stream<Path> files = Files.list(pidsDir)) {
                files.filter(f -> f.getFileName().toString().endsWith(".pid")).forEach(f -> readPid(f)
                        .ifPresent(pid -> pids.put(f.getFileName().toString().replace(".pid", ""), pid)));
            } catch (IOException e) {
                // an unreadable folder measures nothing; the report says so
            }
        }
        if (!pids.isEmpty()) {
            pids.put(DRIVER, ProcessHandle.current().pid());
        }
        Map<String, Long> start = new LinkedHashMap<>();
        Map<String, Map<Long, ThreadRoles.Sample>> threads = new LinkedHashMap<>();
        pids.forEach((part, pid) -> ProcessCpu.cpuNanos(pid).ifPresent(n -> {
            start.put(part, n);
            threads.put(part, ThreadRoles.sample(pid));
        }));
        return new FleetCpu(pids, start, threads, System.nanoTime());
    }

    /** Parts being measured (empty: no pid files, or not on Linux). */
    public List<String> parts() {
        return List.copyOf(startNanos.keySet());
    }

    /** CPU per part since {@link #start}, each also divided by {@code events} (0: no per-event figure). */
    public List<PartCpu> stop(long events) {
        double wallSeconds = (System.nanoTime() - startedAt) / 1e9;
        List<PartCpu> parts = new ArrayList<>();
        startNanos.forEach((part, from) -> {
            OptionalLong now = ProcessCpu.cpuNanos(pids.get(part));
            if (now.isPresent()) {
                double cpu = (now.getAsLong() - from) / 1e9;
                Map<ThreadRoles.Role, Double> roles = ThreadRoles.secondsBetween(startThreads.get(part),
                        ThreadRoles.sample(pids.get(part)));
                parts.add(new PartCpu(part, cpu, wallSeconds > 0 ? cpu / wallSeconds : 0,
                        events > 0 ? cpu * 1e6 / events : 0, Math.min(cpu, roles.get(ThreadRoles.Role.JIT)),
                        Math.min(cpu, roles.get(ThreadRoles.Role.GC_VM)),
                        Math.min(cpu, roles.get(ThreadRoles.Role.ROCKSDB))));
            }
        });
        return parts;
    }

    private static OptionalLong readPid(Path file) {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}

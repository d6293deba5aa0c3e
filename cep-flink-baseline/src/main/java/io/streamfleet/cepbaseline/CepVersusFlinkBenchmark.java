package io.streamfleet.cepbaseline;

import io.streamfleet.cep.burst.BurstSettings;
import io.streamfleet.contracts.event.OrderEvent;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The CEP-engine target (docs/PERFORMANCE.md#targets): our engine against a Flink job of the same rule, side by side
 * in one JVM on one seeded stream. Warm-up on a smaller stream (seed 1), then {@code reps} rounds over the main stream
 * (seed 2), each round running every configuration once in the same order, so load drift on a shared machine hits all
 * of them alike. Every run's detections must equal those of our single-threaded run (the program fails otherwise).
 * Prints each run, then per configuration the median, min and max throughput, and the per-round ratios ours / Flink.
 * <pre>
 * mvn -B -q -o -pl cep-flink-baseline -am package -DskipTests -Pcep-vs-flink
 * </pre>
 * System properties (the pom passes its own defaults): {@code cep.flink.events} (3 000 000, the stream of
 * cep-detector's engine-only figure), {@code cep.flink.keys} (5 000), {@code cep.flink.reps} (5), {@code cep.flink.cep}
 * (false; true also runs the Flink CEP library pattern, which reads the rule differently and takes minutes per run);
 * heap {@code -Dcep.flink.heap=4g}. Reports events/s by wall clock and events per second of process CPU time (all
 * threads), which moves less with the load of other work on a shared machine.
 */
public final class CepVersusFlinkBenchmark {

    private CepVersusFlinkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.getInteger("cep.flink.events", 600_000);
        int keys = Integer.getInteger("cep.flink.keys", 5_000);
        int reps = Integer.getInteger("cep.flink.reps", 5);
        boolean cepLibrary = Boolean.parseBoolean(System.getProperty("cep.flink.cep", "false"));
        BurstSettings settings = BurstSettings.defaults();
        EngineRun ours = new EngineRun(settings);
        FlinkRun flink = new FlinkRun(settings);

        System.out.printf(Locale.ROOT, "%s  CEP engine vs Flink 2.3.0: %d cores, Java %s, max heap %d MiB, load average %.2f%n",
                Instant.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20, loadAverage());
        OrderEvent[] warmUp = BenchmarkStream.inEventOrder(BenchmarkStream.generate(count / 3, keys, 1));
        OrderEvent[] events = BenchmarkStream.inEventOrder(BenchmarkStream.generate(count, keys, 2));
        System.out.printf(Locale.ROOT, "stream: %,d events, %,d keys, %.1f s of event time (warm-up: %,d events)%n",
                events.length, keys, (events[events.length - 1].eventTimeMs() - events[0].eventTimeMs()) / 1e3,
                warmUp.length);
        for (int i = 1; i <= 2; i++) {
            timed("warm-up", () -> ours.run(warmUp, 1));
            timed("warm-up", () -> ours.run(warmUp, 2));
            timed("warm-up", () -> flink.rule(warmUp, 1));
            timed("warm-up", () -> flink.rule(warmUp, 2));
        }

        Map<String, Callable<RunResult>> configurations = new LinkedHashMap<>();
        configurations.put("ours-1", () -> ours.run(events, 1));
        configurations.put("flink-1", () -> flink.rule(events, 1));
        configurations.put("ours-2", () -> ours.run(events, 2));
        configurations.put("flink-2", () -> flink.rule(events, 2));
        configurations.put("flink-noop-1", () -> flink.pipelineOnly(events, 1));
        if (cepLibrary) {
            configurations.put("flink-cep-episode-1", () -> flink.cep(events, 1, FlinkBurstPattern.Window.EPISODE));
            configurations.put("flink-cep-literal-1", () -> flink.cep(events, 1, FlinkBurstPattern.Window.RULE_LITERAL));
        }
        Map<String, List<RunResult>> results = new LinkedHashMap<>();
        for (int rep = 1; rep <= reps; rep++) {
            for (Map.Entry<String, Callable<RunResult>> c : configurations.entrySet()) {
                results.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(timed("round " + rep, c.getValue()));
            }
        }
        Set<Detection> reference = Set.copyOf(results.get("ours-1").get(0).detections());
        boolean identical = summary(results, reference);
        ratio(results, "ours-1", "flink-1");
        ratio(results, "ours-2", "flink-2");
        ratio(results, "ours-1", "flink-2");
        System.out.printf(Locale.ROOT, "%s  load average at the end: %.2f%n", Instant.now(), loadAverage());
        if (!identical) {
            System.err.println("DIFFERENT DETECTIONS: our engine and the Flink keyed rule disagree (see the table)");
            System.exit(1);
        }
    }

    /** Runs and prints one configuration, with the JVM's GC time during the run and the load average after it. */
    private static RunResult timed(String round, Callable<RunResult> run) throws Exception {
        long gcBefore = gcMillis();
        RunResult r = run.call();
        double gcSeconds = (gcMillis() - gcBefore) / 1e3;
        System.out.printf(Locale.ROOT,
                "%-8s %-28s %,9d events %6.2f s (gross %6.2f s, CPU %6.2f s, GC %5.2f s, load %5.2f) %,10.0f events/s"
                        + " %,10.0f events/CPU-s %,6d matches%s%n",
                round, r.engine(), r.events(), r.seconds(), r.grossSeconds(), r.cpuSeconds(), gcSeconds, loadAverage(),
                r.eventsPerSecond(), r.eventsPerCpuSecond(), r.detections().size(),
                r.outOfOrder() > 0 ? ", " + r.outOfOrder() + " out of order" : "");
        return r;
    }

    /** Prints the table; returns whether every keyed-rule run found exactly the reference detections. */
    private static boolean summary(Map<String, List<RunResult>> results, Set<Detection> reference) {
        Set<String> referenceEpisodes = episodes(reference);
        boolean identical = true;
        System.out.println();
        System.out.println("| run | events/s, median (min–max) | events per CPU-second, median (min–max) | detections"
                + " | identical to ours, 1 thread | episodes shared |");
        System.out.println("|---|---|---|---|---|---|");
        for (Map.Entry<String, List<RunResult>> entry : results.entrySet()) {
            List<RunResult> runs = entry.getValue();
            double[] rates = runs.stream().mapToDouble(RunResult::eventsPerSecond).sorted().toArray();
            double[] cpuRates = runs.stream().mapToDouble(RunResult::eventsPerCpuSecond).sorted().toArray();
            RunResult first = runs.get(0);
            boolean noop = entry.getKey().startsWith("flink-noop");
            boolean same = runs.stream().allMatch(r -> Set.copyOf(r.detections()).equals(reference));
            if (!noop && !entry.getKey().startsWith("flink-cep")) {
                identical &= same;
            }
            Set<String> shared = episodes(first.detections());
            shared.retainAll(referenceEpisodes);
            System.out.printf(Locale.ROOT, "| %s | %,.0f (%,.0f–%,.0f) | %,.0f (%,.0f–%,.0f) | %s | %s | %s |%n",
                    first.engine(), median(rates), rates[0], rates[rates.length - 1],
                    median(cpuRates), cpuRates[0], cpuRates[cpuRates.length - 1],
                    noop ? "–" : String.format(Locale.ROOT, "%,d", first.detections().size()),
                    noop ? "–" : same ? "yes, every round" : "**no**",
                    noop ? "–" : String.format(Locale.ROOT, "%,d", shared.size()));
        }
        return identical;
    }

    /**
     * Per round, the throughput of {@code a} divided by that of {@code b}, by wall clock and by CPU time; prints the
     * medians and ranges.
     */
    private static void ratio(Map<String, List<RunResult>> results, String a, String b) {
        List<RunResult> as = results.get(a);
        List<RunResult> bs = results.get(b);
        double[] wall = new double[as.size()];
        double[] cpu = new double[as.size()];
        for (int i = 0; i < wall.length; i++) {
            wall[i] = as.get(i).eventsPerSecond() / bs.get(i).eventsPerSecond();
            cpu[i] = as.get(i).eventsPerCpuSecond() / bs.get(i).eventsPerCpuSecond();
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        System.out.printf(Locale.ROOT, "ratio %s / %s per round: events/s median %.2f (%.2f–%.2f), events per CPU-second"
                + " median %.2f (%.2f–%.2f)%n", a, b, median(wall), wall[0], wall[wall.length - 1], median(cpu), cpu[0],
                cpu[cpu.length - 1]);
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static Set<String> episodes(java.util.Collection<Detection> detections) {
        Set<String> episodes = new HashSet<>();
        for (Detection d : detections) {
            episodes.add(d.episode());
        }
        return episodes;
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}

package io.streamfleet.cepbaseline;

import io.streamfleet.cep.burst.BurstSettings;
import io.streamfleet.contracts.event.OrderEvent;
import org.apache.flink.api.common.typeinfo.TypeInformation;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The CEP-engine target (docs/PERFORMANCE.md#targets): our engine against Flink CEP on one seeded stream in one JVM.
 * Warm-up on a smaller stream (seed 1), then
 * {@code reps} rounds over the main stream (seed 2, the stream of cep-detector's engine-only figure), each round
 * running every configuration once so load drift on a shared machine hits all of them alike. Prints each run and a
 * summary (median, min, max events/s; matches; episodes shared with our single-threaded run).
 * <pre>
 * mvn -B -q -o -pl cep-flink-baseline compile exec:exec
 * </pre>
 * System properties (the pom passes its own defaults): {@code cep.flink.events} (600 000, a prefix of the 3 M-event
 * stream of cep-detector's figure), {@code cep.flink.keys} (5 000), {@code cep.flink.reps} (3),
 * {@code cep.flink.literal} (true: also run the literal-window variant); heap {@code -Dcep.flink.heap=4g}.
 */
public final class CepVersusFlinkBenchmark {

    private CepVersusFlinkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.getInteger("cep.flink.events", 600_000);
        int keys = Integer.getInteger("cep.flink.keys", 5_000);
        int reps = Integer.getInteger("cep.flink.reps", 3);
        boolean literal = Boolean.parseBoolean(System.getProperty("cep.flink.literal", "true"));
        BurstSettings settings = BurstSettings.defaults();
        EngineRun ours = new EngineRun(settings);
        FlinkRun flink = new FlinkRun(settings);

        System.out.printf(Locale.ROOT, "CEP engine vs Flink CEP 2.3.0: %d cores, Java %s, max heap %d MiB, load average %.2f%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf("Flink type of OrderEvent: %s%n", TypeInformation.of(OrderEvent.class));
        OrderEvent[] warmUp = BenchmarkStream.generate(count / 3, keys, 1);
        OrderEvent[] events = BenchmarkStream.generate(count, keys, 2);
        System.out.printf(Locale.ROOT, "stream: %,d events, %,d keys, %.1f s of event time (warm-up: %,d events)%n",
                events.length, keys, (events[events.length - 1].eventTimeMs() - events[0].eventTimeMs()) / 1e3,
                warmUp.length);

        timed("warm-up", () -> ours.run(warmUp, 1));
        timed("warm-up", () -> flink.cep(warmUp, 1, FlinkBurstPattern.Window.EPISODE));

        Map<String, Callable<RunResult>> configurations = new LinkedHashMap<>();
        configurations.put("ours-1", () -> ours.run(events, 1));
        configurations.put("ours-2", () -> ours.run(events, 2));
        configurations.put("flink-episode-1", () -> flink.cep(events, 1, FlinkBurstPattern.Window.EPISODE));
        configurations.put("flink-episode-2", () -> flink.cep(events, 2, FlinkBurstPattern.Window.EPISODE));
        if (literal) {
            configurations.put("flink-literal-1", () -> flink.cep(events, 1, FlinkBurstPattern.Window.RULE_LITERAL));
            configurations.put("flink-literal-2", () -> flink.cep(events, 2, FlinkBurstPattern.Window.RULE_LITERAL));
        }
        configurations.put("flink-pipeline-1", () -> flink.pipelineOnly(events, 1));
        Map<String, List<RunResult>> results = new LinkedHashMap<>();
        for (int rep = 1; rep <= reps; rep++) {
            for (Map.Entry<String, Callable<RunResult>> c : configurations.entrySet()) {
                results.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(timed("round " + rep, c.getValue()));
            }
        }
        summary(results, results.get("ours-1").get(0));
        System.out.printf(Locale.ROOT, "load average at the end: %.2f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** Runs and prints one configuration, with the JVM's GC time during the run and the load average after it. */
    private static RunResult timed(String round, Callable<RunResult> run) throws Exception {
        long gcBefore = gcMillis();
        RunResult r = run.call();
        double gcSeconds = (gcMillis() - gcBefore) / 1e3;
        System.out.printf(Locale.ROOT,
                "%-8s %-30s %,9d events %7.2f s (gross %6.2f s, GC %5.1f s, load %5.2f) %,10.0f events/s %,6d matches%n",
                round, r.engine(), r.events(), r.seconds(), r.grossSeconds(), gcSeconds,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), r.eventsPerSecond(),
                r.detections().size());
        return r;
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    private static void summary(Map<String, List<RunResult>> results, RunResult reference) {
        Set<String> ourEpisodes = episodes(reference);
        System.out.println();
        System.out.println("| run | events/s median (min–max) | matches | episodes shared with ours, 1 thread |");
        System.out.println("|---|---|---|---|");
        for (List<RunResult> runs : results.values()) {
            double[] rates = runs.stream().mapToDouble(RunResult::eventsPerSecond).sorted().toArray();
            RunResult first = runs.get(0);
            Set<String> shared = episodes(first);
            shared.retainAll(ourEpisodes);
            boolean cep = !first.engine().contains("no CEP");
            System.out.printf(Locale.ROOT, "| %s | %,.0f (%,.0f–%,.0f) | %s | %s |%n", first.engine(), rates[rates.length / 2],
                    rates[0], rates[rates.length - 1], cep ? String.format(Locale.ROOT, "%,d", first.detections().size()) : "–",
                    cep ? String.format(Locale.ROOT, "%,d", shared.size()) : "–");
        }
    }

    private static Set<String> episodes(RunResult result) {
        Set<String> episodes = new HashSet<>();
        for (Detection d : result.detections()) {
            episodes.add(d.episode());
        }
        return episodes;
    }
}

package io.streamfleet.launcher;

import io.streamfleet.launcher.StartupTimeBench.Run;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The table {@link StartupTimeBench} ends with. Round 1 (first start of each variant) is shown on its own; rounds 2+
 * as medians, and as medians of the per-round ratio to the {@code jar} variant, which holds up better on a machine
 * whose load drifts. A Streams restart whose consumer waited more than 5 s in JoinGroup is left out of the readiness
 * figures "without wait" (that wait is the group's, not the JVM's) and counted separately.
 */
final class StartupTimeSummary {

    private static final double GROUP_WAIT_S = 5;

    private StartupTimeSummary() {
    }

    static void print(List<Run> runs, List<String> variants, PrintStream out) {
        Map<String, List<Run>> grouped = StartupTimeBench.byServiceAndVariant(runs);
        List<String> services = runs.stream().map(Run::service).distinct().toList();
        out.println();
        out.println("first start (round 1): ready s / started s / cpu s");
        for (String service : services) {
            StringBuilder line = new StringBuilder(String.format("  %-18s", service));
            for (String variant : variants) {
                first(grouped, service, variant).ifPresent(r -> line.append(String.format("  %s %.1f / %.1f / %.1f",
                        variant, r.readyMs() / 1000.0, r.startedS(), r.cpuMs() / 1000.0)));
            }
            out.println(line);
        }
        out.println("repeated starts (rounds 2+), medians: ready s (without group wait) / started s / cpu s / stop s");
        for (String service : services) {
            for (String variant : variants) {
                List<Run> warm = warm(grouped, service, variant);
                List<Run> noWait = warm.stream().filter(r -> r.joinWaitS() <= GROUP_WAIT_S).toList();
                out.printf("  %-18s %-8s n=%d  ready %.1f (%.1f, %d group waits)  started %.1f  cpu %.1f  stop %.1f%n",
                        service, variant, warm.size(), median(warm, r -> r.readyMs() / 1000.0),
                        median(noWait, r -> r.readyMs() / 1000.0), warm.size() - noWait.size(),
                        median(warm, Run::startedS), median(warm, r -> r.cpuMs() / 1000.0),
                        median(warm, r -> r.stopMs() / 1000.0));
                if (!variant.equals("jar") && variants.contains("jar")) {
                    printRatios(warm, warm(grouped, service, "jar"), variant, out);
                }
            }
        }
    }

    private static void printRatios(List<Run> variant, List<Run> jar, String name, PrintStream out) {
        List<Double> ready = new ArrayList<>();
        List<Double> started = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        for (Run run : variant) {
            jar.stream().filter(j -> j.round() == run.round()).findFirst().ifPresent(j -> {
                if (run.joinWaitS() <= GROUP_WAIT_S && j.joinWaitS() <= GROUP_WAIT_S) {
                    ready.add((double) run.readyMs() / j.readyMs());
                }
                started.add(run.startedS() / j.startedS());
                cpu.add((double) run.cpuMs() / j.cpuMs());
            });
        }
        out.printf("  %-18s %s/jar per round: ready %.2f (%d pairs)  started %.2f  cpu %.2f%n", "", name,
                median(ready), ready.size(), median(started), median(cpu));
    }

    private static Optional<Run> first(Map<String, List<Run>> grouped, String service, String variant) {
        return grouped.getOrDefault(service + "/" + variant, List.of()).stream().filter(r -> r.round() == 1)
                .findFirst();
    }

    private static List<Run> warm(Map<String, List<Run>> grouped, String service, String variant) {
        return grouped.getOrDefault(service + "/" + variant, List.of()).stream()
                .filter(r -> r.round() > 1 && r.readyMs() >= 0).toList();
    }

    private static double median(List<Run> runs, ToDoubleFunction<Run> value) {
        return median(runs.stream().map(value::applyAsDouble).toList());
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().filter(v -> !v.isNaN()).sorted().toList();
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }
}

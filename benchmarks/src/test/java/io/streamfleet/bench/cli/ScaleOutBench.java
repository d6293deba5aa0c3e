package io.streamfleet.bench.cli;

import io.streamfleet.bench.cpu.FleetCpu;
import io.streamfleet.bench.report.BenchReport;
import io.streamfleet.bench.report.Detection;
import io.streamfleet.bench.scenario.EngagementOrigin;
import io.streamfleet.launcher.FleetLayout;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Scale-out check at small scale (docs/capacity.md): one fleet of its own (as {@link OwnFleetBench}) with
 * {@code --partitions} data-flow partitions, then a plan of fleet-bench runs, each at a number of instances of every
 * Streams service: {@code --plan 1@1000,2@1000,3@1000,r@1000} runs 1, 2, 3 instances at 1 000 events/s, then a run
 * of {@code --churn-duration} that starts one more instance of each service {@code --churn-at} into the step and,
 * 20 s after it is ready, stops the oldest extra one (two rebalances per group while traffic flows). Per run it
 * prints, per instance, the records its stream threads processed and its CPU (fleet-bench's CPU per part, which reads
 * every pid file, extra instances' included), the partitions per group member, and the exactness figures. Run it
 * with {@link #RECOVERY_LAG} set high (e.g. to Long.MAX_VALUE) so that a new instance takes its share of the tasks at
 * once, not at the next probing rebalance (docs/capacity.md). Other options: {@code --duration 60s --warm-up 10s
 * --drain 20s --drain-limit 5m --engagement-speed 240 --out DIR}.
 * <p>
 * Every run takes {@code duration × engagement-speed} of the fleet's engagement clock ({@link ScalePlan}); before each
 * step the bench reads the fleet's engagement stream time, and when the step would find no clock left it stops that
 * fleet (extra instances, services, broker; folder deleted), starts the next one with fresh state and says so, so a
 * long plan runs to its end. The first step on a new fleet runs on fresh JVMs; the gateway's self-warm-up is on
 * ({@link BenchFleetWarmUp}).
 */
public final class ScaleOutBench {

    /** Every service process inherits this JVM's environment; Spring keeps the dots of a map key bound from it. */
    static final String RECOVERY_LAG = "STREAMFLEET_STREAMS_OVERRIDES_ACCEPTABLE_RECOVERY_LAG";

    private ScaleOutBench() {
    }

    public static void main(String[] args) throws Exception {
        BenchOptions o = BenchOptions.parse(List.of(args), Map.ofEntries(
                Map.entry("plan", "1@1000,2@1000,3@1000,r@1000"), Map.entry("partitions", "6"),
                Map.entry("duration", "60s"), Map.entry("churn-duration", "120s"), Map.entry("churn-at", "0s"),
                Map.entry("warm-up", "10s"), Map.entry("drain", "20s"), Map.entry("drain-limit", "5m"),
                Map.entry("out", "scale-out"),
                Map.entry("engagement-speed", BenchOptions.DEFAULTS.get("engagement-speed")),
                // the open loop's connection ceiling, passed on to fleet-bench (a fixed pool: the same as its start)
                Map.entry("max-in-flight", BenchOptions.DEFAULTS.get("max-in-flight"))));
        ScalePlan plan = ScalePlan.parse(o.list("plan"), o.duration("duration").toMillis(),
                o.duration("churn-duration").toMillis(), o.integer("engagement-speed"));
        int partitions = o.integer("partitions");
        Path repo = Path.of(System.getProperty("bench.fleet.repo", "..")).toAbsolutePath().normalize();
        PrintStream out = System.out;
        BenchFleetWarmUp.apply(out);
        String recoveryLag = System.getenv(RECOVERY_LAG);
        out.println(recoveryLag == null ? "acceptable.recovery.lag: Kafka Streams' default (10 000 records): a new"
                + " instance gets warm-up replicas first and active stateful tasks at the next probing rebalance (every"
                + " minute in this fleet), so work spreads a minute or two after an instance joins; set " + RECOVERY_LAG
                + " for an immediate spread (docs/capacity.md)"
                : "acceptable.recovery.lag " + recoveryLag + " (" + RECOVERY_LAG + ", inherited by every instance):"
                + " tasks spread as soon as an instance joins");
        long stepWallMs = o.duration("duration").toMillis() + o.duration("warm-up").toMillis()
                + o.duration("drain").toMillis();
        out.printf("plan: %d step(s), %s of engagement clock per step (duration x %d); expected fleets per step %s "
                        + "(a step that finds no engagement clock left on its fleet runs on a new fleet with fresh state)%n",
                plan.steps().size(), hours(plan.spanMs(plan.steps().get(0))), plan.engagementSpeed(),
                plan.projectedFleets(System.currentTimeMillis(), stepWallMs));
        AtomicReference<ScaleOutFleet> current = new AtomicReference<>();
        // a Ctrl-C or kill must not leave the extra instances and the fleet running
        Thread stopAll = new Thread(() -> {
            ScaleOutFleet f = current.get();
            if (f != null) {
                f.close();
            }
        });
        Runtime.getRuntime().addShutdownHook(stopAll);
        int failures = 0;
        List<String> onFleet = new ArrayList<>();
        try {
            current.set(ScaleOutFleet.start(1, repo, partitions, out));
            for (int i = 0; i < plan.steps().size(); i++) {
                ScalePlan.Step step = plan.steps().get(i);
                ScaleOutFleet fleet = current.get();
                OptionalLong streamTime = fleet.engagementStreamTime();
                if (plan.needsFreshFleet(step, System.currentTimeMillis(), streamTime)) {
                    fleet = replace(fleet, step, plan, streamTime, repo, partitions, current, out);
                }
                onFleet.add("step " + (i + 1) + " (" + step.text() + ") on fleet " + fleet.number());
                String folder = (i + 1) + "-" + step.text().replace('@', '-');
                failures += runStep(step, folder, o, fleet, out) ? 0 : 1;
            }
        } finally {
            ScaleOutFleet f = current.get();
            if (f != null) {
                f.close();
            }
            Runtime.getRuntime().removeShutdownHook(stopAll);
        }
        out.printf("%nplan done: %s; %d step(s) not exact%n", String.join(", ", onFleet), failures);
        System.exit(failures == 0 ? 0 : 1);
    }

    /**
     * Stops a fleet that has no engagement clock left for the next step (its extra instances, then the fleet, as
     * {@code ./fleet down}; its folder deleted) and starts the next one with fresh state, saying so.
     */
    private static ScaleOutFleet replace(ScaleOutFleet old, ScalePlan.Step step, ScalePlan plan,
                                         OptionalLong streamTime, Path repo, int partitions,
                                         AtomicReference<ScaleOutFleet> current, PrintStream out) throws IOException {
        out.printf("%n=== fleet change before step %s (%s UTC): fleet %d (up since %s) has no engagement clock left: "
                        + "the step needs %s of engagement event time ending before now, starting %d min after the "
                        + "fleet's engagement stream time %s. Stopping fleet %d and its extra instances; starting "
                        + "fleet %d with fresh state (its services are fresh JVMs, so its first step runs cold) ===%n",
                step.text(), Instant.now(), old.number(), old.started(), hours(plan.spanMs(step)),
                EngagementOrigin.GAP_MS / 60_000, streamTime.isPresent()
                        ? Instant.ofEpochMilli(streamTime.getAsLong()) : "(none)", old.number(), old.number() + 1);
        old.close();
        current.set(null);
        out.printf("=== fleet %d stopped (%s UTC) ===%n", old.number(), Instant.now());
        ScaleOutFleet fresh = ScaleOutFleet.start(old.number() + 1, repo, partitions, out);
        current.set(fresh);
        out.printf("=== fleet %d up (%s UTC) ===%n", fresh.number(), Instant.now());
        if (plan.needsFreshFleet(step, System.currentTimeMillis(), fresh.engagementStreamTime())) {
            throw new IllegalStateException("fleet " + fresh.number() + " has fresh state and still no engagement "
                    + "clock for step " + step.text() + " (is something else sending engagement events to it?)");
        }
        return fresh;
    }

    private static String hours(long ms) {
        return String.format(Locale.ROOT, "%.1f h", ms / 3_600_000.0);
    }

    private static boolean runStep(ScalePlan.Step step, String folder, BenchOptions o, ScaleOutFleet fleet,
                                   PrintStream out) throws Exception {
        StreamsInstances instances = fleet.instances();
        FleetLayout layout = fleet.layout();
        boolean rebalance = step.churn();
        int rate = step.rate();
        if (!rebalance) {
            instances.scaleTo(step.instances());
        } else if (instances.count() < 2) {
            instances.scaleTo(2);
        }
        out.printf("%n=== step %s on fleet %d: %d instance(s) of each Streams service at %,d events/s, %d partitions"
                + " ===%n", step.text(), fleet.number(), instances.count(), rate, o.integer("partitions"));
        out.println("  assignment before:" + instances.awaitSettled(Duration.ofSeconds(180)));
        instances.forgetDeparted();
        Map<String, Map<String, Double>> before = instances.processed();
        String loadBefore = loadAverage();
        Instant started = Instant.now();
        CompletableFuture<String> churn = rebalance ? churn(o, instances) : CompletableFuture.completedFuture("");
        BenchReport report = FleetBench.execute(BenchOptions.parse(List.of(
                "--gateway", "http://localhost:" + layout.service("ingest-gateway").port(),
                "--alerts", "http://localhost:" + layout.service("alert-api").port(),
                "--bootstrap", layout.bootstrapServers(), "--api-key-file", layout.devKeyFile().toString(),
                "--pids", layout.pids().toString(), "--rate", Integer.toString(rate),
                "--duration", o.text(rebalance ? "churn-duration" : "duration"), "--warm-up", o.text("warm-up"),
                "--engagement-speed", o.text("engagement-speed"), "--max-in-flight", o.text("max-in-flight"),
                "--drain", o.text("drain"), "--drain-limit", o.text("drain-limit"),
                "--out", Path.of(o.text("out")).resolve(folder).toString(), "--no-progress")), out);
        String churnLog = churn.join();
        Map<String, Map<String, Double>> after = instances.processed();
        out.printf("%n--- scale-out summary, step %s on fleet %d (%s to %s UTC, load average before %s, after %s) ---%n",
                step.text(), fleet.number(), started, Instant.now(), loadBefore, loadAverage());
        if (!churnLog.isEmpty()) {
            out.print(churnLog);
        }
        out.println("  assignment after:" + instances.awaitSettled(Duration.ofSeconds(60)));
        long accepted = report.ingest().eventsAccepted();
        printInstances(out, before, after, report.cpu(), accepted);
        return printExactness(out, report);
    }

    /**
     * The rebalance step: {@code --churn-at} after the step starts, one more instance of each service is started; once
     * it is ready (a join rebalance) and 20 s later, the oldest extra instance of each is stopped (a leave).
     */
    private static CompletableFuture<String> churn(BenchOptions o, StreamsInstances instances) {
        long wait = o.duration("churn-at").toMillis();
        return CompletableFuture.supplyAsync(() -> {
            StringBuilder log = new StringBuilder();
            try {
                Thread.sleep(wait);
                log.append(String.format("  churn: %s adding an instance of each service%n", Instant.now()));
                instances.addOne();
                log.append(String.format("  churn: %s added (ready)%n", Instant.now()));
                Thread.sleep(20_000);
                log.append(String.format("  churn: %s stopping the oldest extra instance of each%n", Instant.now()));
                instances.stopOldestExtra();
                log.append(String.format("  churn: %s stopped; %d instance(s) each%n", Instant.now(),
                        instances.count()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.append("  churn interrupted\n");
            } catch (RuntimeException e) {
                log.append("  churn FAILED: ").append(e.getMessage()).append('\n');
            }
            return log.toString();
        });
    }

    private static void printInstances(PrintStream out, Map<String, Map<String, Double>> before,
                                       Map<String, Map<String, Double>> after, List<FleetCpu.PartCpu> cpu,
                                       long accepted) {
        out.printf("  %-22s %12s %7s %10s %7s %12s %12s %7s %7s %9s %12s%n", "instance", "records", "share", "CPU s",
                "core", "µs/record", "µs/event", "JIT s", "GC s", "RocksDB s", "w/o JIT");
        for (String service : after.keySet()) {
            double total = 0;
            List<String[]> rows = new ArrayList<>();
            for (Map.Entry<String, Double> e : after.get(service).entrySet()) {
                Double from = before.getOrDefault(service, Map.of()).get(e.getKey());
                double records = from == null ? e.getValue() : e.getValue() - from;
                total += records;
                rows.add(new String[] {e.getKey(), Double.toString(records)});
            }
            double serviceCpu = 0;
            for (String[] row : rows) {
                double records = Double.parseDouble(row[1]);
                FleetCpu.PartCpu c = cpu.stream().filter(p -> p.part().equals(row[0])).findFirst().orElse(null);
                serviceCpu += c == null ? 0 : c.cpuSeconds();
                out.printf(Locale.ROOT, "  %-22s %,12.0f %6.1f%% %10s %7s %12s %12s %7s %7s %9s %12s%n", row[0],
                        records, total > 0 ? 100 * records / total : 0, c == null ? "n/a" : fmt("%.1f", c.cpuSeconds()),
                        c == null ? "n/a" : fmt("%.0f%%", 100 * c.coreShare()),
                        c == null || records <= 0 ? "n/a" : fmt("%.0f", c.cpuSeconds() * 1e6 / records),
                        c == null ? "n/a" : fmt("%.0f", c.microsPerEvent()),
                        c == null ? "n/a" : fmt("%.1f", c.jitSeconds()), c == null ? "n/a" : fmt("%.1f", c.gcSeconds()),
                        c == null ? "n/a" : fmt("%.1f", c.rocksdbSeconds()),
                        c == null ? "n/a" : fmt("%.1f", c.microsPerEventWithoutJit()));
            }
            out.printf(Locale.ROOT, "  %-22s %,12.0f %7s %10.1f %7s %12s %12s%n", service + " (all)", total, "",
                    serviceCpu, "", total > 0 ? fmt("%.0f", serviceCpu * 1e6 / total) : "n/a",
                    accepted > 0 ? fmt("%.0f", serviceCpu * 1e6 / accepted) : "n/a");
        }
        cpu.stream().filter(c -> !c.part().contains("-processor") && !c.part().startsWith("cep-detector")
                && !c.part().startsWith("session-analytics")).forEach(c -> out.printf(Locale.ROOT,
                "  %-22s %12s %7s %10.1f %6.0f%% %12s %12.0f %7.1f %7.1f %9.1f %12.1f%n", c.part(), "", "",
                c.cpuSeconds(), 100 * c.coreShare(), "", c.microsPerEvent(), c.jitSeconds(), c.gcSeconds(),
                c.rocksdbSeconds(), c.microsPerEventWithoutJit()));
        List<FleetCpu.PartCpu> fleetParts = cpu.stream().filter(c -> !c.isDriver()).toList();
        double fleet = fleetParts.stream().mapToDouble(FleetCpu.PartCpu::microsPerEvent).sum();
        double withoutJit = fleetParts.stream().mapToDouble(FleetCpu.PartCpu::microsPerEventWithoutJit).sum();
        out.printf(Locale.ROOT, "  fleet: %.1f µs/event, %.1f without the JIT's compiler threads (%s not included)%n",
                fleet, withoutJit, FleetCpu.DRIVER);
    }

    /**
     * Prints the exactness figures; true when the run was exact. A lag of up to {@link DrainPolicy#CAUGHT_UP_LAG} at
     * the end is caught up: the gateway's clock marks keep a few records in flight.
     */
    private static boolean printExactness(PrintStream out, BenchReport report) {
        Detection all = report.detection().stream().filter(d -> d.type().equals("ALL")).findFirst()
                .orElse(report.detection().get(0));
        long lagAtEnd = report.lag().stream().mapToLong(BenchReport.LagSummary::lastLag).max().orElse(-1);
        long lagMax = report.lag().stream().mapToLong(BenchReport.LagSummary::maxLag).max().orElse(-1);
        boolean exact = all.inputIncomplete() == 0 && all.found() == all.expected() && all.falsePositives() == 0
                && all.duplicateDeliveries() == 0
                && all.idMismatches() == 0 && all.fieldMismatches() == 0 && lagAtEnd >= 0
                && lagAtEnd <= DrainPolicy.CAUGHT_UP_LAG
                && report.late().unexpected() == 0 && report.late().extraCopies() == 0 && report.late().missing() == 0;
        out.printf(Locale.ROOT, "  accepted %,d events; labels not scored (input incomplete) %d; episodes %d/%d found, near-misses flagged %d/%d, other false"
                        + " alerts %d, duplicate deliveries %d, id/field mismatches %d/%d; late: %d intended, %d not"
                        + " diverted, %d on-time diverted by the fleet, %d late by the client, %d extra copies; lag max"
                        + " %,d, at end %d; drain %s -> %s%n",
                report.ingest().eventsAccepted(), all.inputIncomplete(), all.found(), all.expected(), all.nearMissesFlagged(),
                all.nearMisses(), all.otherFalseAlerts(), all.duplicateDeliveries(), all.idMismatches(),
                all.fieldMismatches(), report.late().intended(), report.late().missing(), report.late().onTimeDiverted(),
                report.late().lateByClient(), report.late().extraCopies(), lagMax, lagAtEnd, report.run().get("drainEnding"),
                exact ? "EXACT" : "NOT EXACT");
        return exact;
    }

    private static String fmt(String format, double value) {
        return String.format(Locale.ROOT, format, value);
    }

    private static String loadAverage() {
        try {
            return String.join(" ", Files.readString(Path.of("/proc/loadavg")).trim().split(" ")).substring(0, 14);
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}

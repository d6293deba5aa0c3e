package io.streamfleet.drills;

import io.streamfleet.bench.cli.FleetBench;
import io.streamfleet.bench.replay.RecordingHeader;
import io.streamfleet.bench.replay.RecordingReader;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.streamfleet.drills.FaultSteps.CEP;
import static io.streamfleet.drills.FaultSteps.PROCESSOR;
import static io.streamfleet.drills.FaultSteps.SESSIONS;

/**
 * The replay determinism drill: alerts are a function of the raw log. A live fleet takes labelled traffic through the
 * gateway (its audit must pass), the gateway leaves, and the raw topics (events and progress records) and the alert
 * topics are recorded. Two fresh fleets without a gateway then get that recording: one at full speed, one at the
 * recorded pace (1×) with every Streams service SIGKILLed half-way through the traffic and restarted. Each must end
 * with exactly the live alert set — same ids, same fields, same record keys and timestamps — by
 * {@code fleet-bench compare-alerts}.
 */
public final class ReplayDrill {

    static final List<String> RAW = List.of("orders.raw", "engagement.raw");
    static final String GATEWAY = "ingest-gateway";
    private static final Duration CATCH_UP = Duration.ofSeconds(300);

    private final Path repo;
    private final Path work;
    private final DrillPlan plan;
    private final long seed;
    private final PrintStream log;

    /** What one replay of the recording gave. */
    public record Replay(String how, String replayed, long replayMs, List<String> faults,
                         List<DrillResult.Recovery> recoveries, int compareExit, String comparison) {

        public boolean identical() {
            return compareExit == 0;
        }
    }

    /** The whole drill: the live run's audit, what was recorded, and each replay. */
    public record Result(DrillResult live, String recorded, long recordedSpanMs, Map<String, Long> liveAlerts,
                         List<Replay> replays) {
    }

    public ReplayDrill(Path repo, Path work, DrillPlan plan, long seed, PrintStream log) {
        this.repo = repo;
        this.work = work;
        this.plan = plan;
        this.seed = seed;
        this.log = log;
    }

    public Result run() throws Exception {
        Path raw = work.resolve("raw.ndjson.gz");
        Path liveAlerts = work.resolve("alerts-live.ndjson.gz");
        DrillResult live;
        long trafficFromMs;
        long trafficMs;
        try (DrillFleet fleet = DrillFleet.prepare(repo, work.resolve("live"), log, DrillReport.serviceArgs())) {
            fleet.up();
            try (DrillRun run = new DrillRun("replay-source", fleet, plan, seed, true, log)) {
                run.startTraffic();
                live = run.finish();
                trafficFromMs = run.t0();
                trafficMs = run.durationMs();
            }
            // a graceful stop: the gateway's "leaving" marks end the log; nothing writes to the raw topics after them
            fleet.remove(GATEWAY);
            awaitCaughtUp(fleet, "live fleet");
            fleetBench("record", "--bootstrap", fleet.bootstrap(), "--out", raw.toString(), "--no-progress");
            fleetBench("record", "--bootstrap", fleet.bootstrap(), "--topics",
                    String.join(",", DrillRun.ALERT_TOPICS), "--out", liveAlerts.toString(), "--no-progress");
        }
        RecordingHeader rawHeader = header(raw);
        List<RecordingHeader.TopicSummary> written = rawHeader.topics().stream().filter(t -> t.records() > 0).toList();
        long firstMs = written.stream().mapToLong(RecordingHeader.TopicSummary::firstTimestampMs).min().orElseThrow();
        long lastMs = written.stream().mapToLong(RecordingHeader.TopicSummary::lastTimestampMs).max().orElseThrow();
        String recorded = String.format(Locale.ROOT, "%,d records: %s", rawHeader.records(),
                String.join(", ", rawHeader.topics().stream().map(t -> String.format(Locale.ROOT,
                        "%s %,d (%,d of them progress records)", t.name(), t.records(), t.progressRecords())).toList()));
        Map<String, Long> alerts = new LinkedHashMap<>();
        header(liveAlerts).topics().forEach(t -> alerts.put(t.name(), t.records()));
        List<Replay> replays = new ArrayList<>();
        replays.add(replay("full speed", "max", raw, liveAlerts, -1));
        // half-way through the traffic, in replay time at 1x
        long killAfterMs = Math.max(0, trafficFromMs + trafficMs / 2 - firstMs);
        replays.add(replay("1x, every Streams service SIGKILLed half-way through the traffic", "1", raw, liveAlerts,
                killAfterMs));
        return new Result(live, recorded, lastMs - firstMs, alerts, replays);
    }

    private static RecordingHeader header(Path file) throws IOException {
        try (RecordingReader reader = RecordingReader.open(file)) {
            return reader.header();
        }
    }

    private Replay replay(String how, String speed, Path raw, Path liveAlerts, long killAfterMs) throws Exception {
        String name = speed.equals("max") ? "max" : "paced";
        Path alerts = work.resolve("alerts-" + name + ".ndjson.gz");
        List<String> faults = new ArrayList<>();
        List<DrillResult.Recovery> recoveries = new ArrayList<>();
        try (DrillFleet fleet = DrillFleet.prepare(repo, work.resolve(name), log, DrillReport.serviceArgs())) {
            fleet.up(List.of(), List.of(GATEWAY));
            long start = System.currentTimeMillis();
            CompletableFuture<String> replay = CompletableFuture.supplyAsync(() -> fleetBench("replay", "--bootstrap",
                    fleet.bootstrap(), "--file", raw.toString(), "--speed", speed, "--no-progress"));
            if (killAfterMs >= 0) {
                Sleep.ms(start + killAfterMs - System.currentTimeMillis());
                killAll(fleet, start, faults, recoveries);
            }
            String replayed = replay.join();
            long replayMs = System.currentTimeMillis() - start;
            awaitCaughtUp(fleet, how);
            fleetBench("record", "--bootstrap", fleet.bootstrap(), "--topics",
                    String.join(",", DrillRun.ALERT_TOPICS), "--out", alerts.toString(), "--no-progress");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int exit = FleetBench.run(List.of("compare-alerts", "--a", liveAlerts.toString(), "--b", alerts.toString()),
                    new PrintStream(out, true, StandardCharsets.UTF_8));
            String comparison = out.toString(StandardCharsets.UTF_8);
            log.printf("[replay %s] compare-alerts live vs replay: exit %d%n%s", how, exit, comparison);
            return new Replay(how, firstLine(replayed.lines().filter(l -> l.startsWith("Replayed")).findFirst()
                    .orElse(replayed)), replayMs, faults, recoveries, exit, comparison);
        }
    }

    /** SIGKILL of the three Streams services at once, each restarted at once, in parallel. */
    private void killAll(DrillFleet fleet, long start, List<String> faults, List<DrillResult.Recovery> recoveries) {
        List<CompletableFuture<DrillResult.Recovery>> restarts = new ArrayList<>();
        for (FaultSteps.Group g : List.of(PROCESSOR, CEP, SESSIONS)) {
            restarts.add(CompletableFuture.supplyAsync(() -> {
                long killed = System.currentTimeMillis();
                fleet.kill(g.part());
                fleet.restart(g.part());
                return new DrillResult.Recovery("SIGKILL " + g.part(), System.currentTimeMillis() - killed, -1);
            }));
        }
        faults.add(String.format(Locale.ROOT, "+%.1f s of the replay: SIGKILL stream-processor, cep-detector, "
                + "session-analytics; each restarted at once", (System.currentTimeMillis() - start) / 1e3));
        restarts.forEach(r -> recoveries.add(r.join()));
    }

    /** stream-processor first (its output is the others' input), then the two detectors. */
    private void awaitCaughtUp(DrillFleet fleet, String what) {
        try (GroupProgress progress = new GroupProgress(fleet.bootstrap())) {
            for (FaultSteps.Group g : List.of(PROCESSOR, CEP, SESSIONS)) {
                if (!progress.awaitCaughtUp(g.group(), g.inputs(), CATCH_UP)) {
                    throw new IllegalStateException(what + ": " + g.part() + " did not read its input to the end within "
                            + CATCH_UP.toSeconds() + " s; logs in " + fleet.logs());
                }
            }
        }
    }

    /** A fleet-bench command that must succeed; its console. */
    private String fleetBench(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = FleetBench.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8));
        String console = out.toString(StandardCharsets.UTF_8);
        log.printf("[replay] fleet-bench %s: exit %d%n%s", String.join(" ", args), exit, console);
        if (exit != 0) {
            throw new IllegalStateException("fleet-bench " + args[0] + " failed (exit " + exit + "):\n" + console);
        }
        return console;
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse("").trim();
    }

    /** The drill as Markdown, for target/drills and docs/RELIABILITY.md. */
    public static String markdown(String header, Result r) {
        StringBuilder md = new StringBuilder("# Replay determinism\n\n").append(header).append("\n\n");
        md.append("* Live run: ").append(r.live().load()).append("; audit ")
                .append(r.live().passed() ? "passed" : "FAILED").append(" (alerts expected / found ")
                .append(r.live().alerts().expected()).append(" / ").append(r.live().alerts().found()).append(")\n");
        md.append("* Recorded: ").append(r.recorded()).append(String.format(Locale.ROOT, " (span %.1f s)%n",
                r.recordedSpanMs() / 1e3));
        md.append("* Live alerts (the reference): ").append(r.liveAlerts()).append("\n\n");
        md.append("| Replay | Replayed | Took | Faults | Restarted and ready | Alerts vs live |\n")
                .append("| --- | --- | ---: | --- | --- | --- |\n");
        for (Replay p : r.replays()) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %.1f s | %s | %s | %s |%n", p.how(), p.replayed(),
                    p.replayMs() / 1e3, p.faults().isEmpty() ? "–" : String.join("; ", p.faults()),
                    p.recoveries().isEmpty() ? "–" : String.join(", ", p.recoveries().stream().map(
                            rec -> String.format(Locale.ROOT, "%s %.1f s", rec.fault().replace("SIGKILL ", ""),
                                    rec.readyMs() / 1e3)).toList()),
                    p.identical() ? "identical" : "DIFFERENT (exit " + p.compareExit() + ")"));
        }
        for (Replay p : r.replays()) {
            if (!p.identical()) {
                md.append("\n## ").append(p.how()).append("\n\n```\n").append(p.comparison()).append("```\n");
            }
        }
        return md.toString();
    }

    static void write(Path dir, String markdown) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("replay-determinism.md"), markdown);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the replay report to " + dir, e);
        }
    }
}

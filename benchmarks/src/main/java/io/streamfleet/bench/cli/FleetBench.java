package io.streamfleet.bench.cli;

import io.streamfleet.bench.driver.WireJson;
import io.streamfleet.bench.report.BenchReport;
import io.streamfleet.bench.report.ReportWriter;
import io.streamfleet.bench.scenario.BenchEvent;
import io.streamfleet.bench.scenario.Scenario;
import io.streamfleet.bench.scenario.ScenarioGenerator;
import io.streamfleet.contracts.json.ContractMapper;
import org.apache.kafka.common.errors.TimeoutException;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * {@code fleet-bench run [options]} drives a running fleet and writes report.txt/json/html and ground-truth.json;
 * {@code fleet-bench generate [options]} only writes the scenario (events.ndjson) and its ground truth;
 * {@code record}, {@code replay} and {@code compare-alerts} export topics to a recording, load one into a fleet, and
 * compare two alert sets (docs/replay.md).
 * Exit code 0 when the command completed (whatever the figures), 1 on a failure, 2 on a usage error or a refused
 * precondition, 3 when compare-alerts found differences. Errors and refusals go to stderr, everything else to stdout.
 */
public final class FleetBench {

    static final String USAGE = """
            usage: java -jar benchmarks/target/fleet-bench.jar <command> [--option value ...]
              run             drive a running fleet (./fleet up --detach --no-demo) and report
              ingest          load the gateway alone (order events, nothing downstream): warm-up, then scored rate/latency
              generate        write the scenario's events (events.ndjson) and ground truth without sending anything
              record          export a stretch of topics (events and progress records) to a recording file
              replay          load a recording into the topics of a fresh fleet, at full speed or paced
              compare-alerts  compare two alert sets (recordings or brokers) by alertId
              help            this text
            run / generate options (defaults in brackets):
              --gateway URL [http://localhost:8080]   --alerts URL [http://localhost:8084]
              --bootstrap HOST:PORT [localhost:9092]  --api-key KEY | --api-key-file FILE [.fleet/dev-api-key]
              --driver http-batch|http-single|ws [http-batch]   --mode open|closed [open]
              --rate EVENTS_PER_S [5000]  --duration 60s
              --batch-size N|auto [auto: 100 for http-batch (JSON array), 1 for ws (NDJSON lines per message)]
              --concurrency N [16] (closed loop: requests in flight)  --max-in-flight N [1024] (open loop cap;
                HTTP starts with 64 connections and opens more, up to this cap, when a request would wait for one)
              --ws-connections N [4]  --timeout 30s (per request)  --drain 30s (wait for alerts after traffic)
              --retries N [3] (open loop: send what the gateway refuses with a delay -- 503/429 with Retry-After,
                a 207's unavailable items, WebSocket acks with retryAfterMs -- again after that delay, up to N
                times, then give it up; 0: never)
              --drain-limit 5m (past --drain, wait on while the fleet lags, up to this)
              --gateway-hold 1s (the gateway's publish.max-hold: an on-time event diverted after leaving the
                driver with less slack than this is counted apart in the overload verdict)
              --pids DIR [.fleet/pids] (the fleet's pid files: CPU per part and per event in the report)
              --keys [1000]  --episodes [20]  --near-misses [20]
              --engagement-share [0.2]  --engagement-users [500]  --engagement-speed [240]
              --engagement-episodes [10]  --engagement-near-misses [10]
              --engagement-origin EPOCH_MS [run: 35 min after the fleet's engagement stream time, or 24 h
                before the run on a fresh fleet; an origin that does not clear the fleet's time is refused.
                generate: the clock ends 10 min before the start]
              --jitter 1s  --duplicates [0.01]  --late [0.001]  --seed [42]
              --warm-up 2s (background traffic only at the start: episodes are scored on a warm fleet)
              --lag-groups G1,G2,... [the three Kafka Streams application ids]
              --out DIR [benchmarks/target/fleet-bench/<time>]  --no-progress
            record options:
              --out FILE (required; gzip'd NDJSON, e.g. day.ndjson.gz)  --force (overwrite FILE)
              --bootstrap HOST:PORT [localhost:9092]  --topics T1,T2 [orders.raw,engagement.raw]
              --from-offset OFFSET|PARTITION:OFFSET|TOPIC:PARTITION:OFFSET,... | --from-time INSTANT|EPOCH_MS
                [the beginning of each partition]
              --to-offset ... | --to-time ... (exclusive) [the end of each partition when the recording starts]
              --timeout 30s  --no-progress
            replay options:
              --file FILE (required)  --bootstrap HOST:PORT [localhost:9092]  --speed max|FACTOR [max]
                (FACTOR 1 = the recorded pace, 10 = ten times faster)
              --topics T1,T2 [every topic of the recording]  --topic-prefix P (replay topic T into P+T) [none]
              --append (allow target topics that already hold records)  --timeout 30s  --no-progress
            compare-alerts options:
              --a FILE|kafka:HOST:PORT  --b FILE|kafka:HOST:PORT (required)  --a-prefix P  --b-prefix P [none]
              --topics T1,T2 [alerts.anomaly,alerts.engagement]  --show N [20] (alerts listed per section)
              --json FILE (also write the comparison as JSON)  --timeout 30s
            ingest options:
              --gateway URL [http://localhost:8080]  --api-key KEY | --api-key-file FILE [.fleet/dev-api-key]
              --driver http-single|http-batch|ws [http-single]  --mode closed|open [closed]
              --concurrency N [16] (HTTP connections; closed loop: requests in flight)  --rate REQUESTS_PER_S [5000]
                (open loop)  --batch-size N|auto [auto: http-batch 100 per JSON array, ws 1 per message; N > 1
                NDJSON lines per WebSocket message]  --ws-connections N [4]  --client-threads N [1]
              --retries N [3] (open loop: resends of what the gateway refuses with a delay; 0: never)
              --warm-up auto|DURATION|0 [auto: 5 s windows until two agree]  --min-warm-up 0s  --max-warm-up 120s
              --duration 30s (scored, after the warm-up)  --timeout 30s
              --metrics URL (the gateway's /actuator/prometheus: add its own latency, producer and CPU figures)
              --await-ready URL (wait for this readiness URL, then start the windows: warm-up from ready)
              --schedule even|ms-ticks [even] (open loop; ms-ticks validates against wrk: requests due in the same
                wall-clock millisecond leave together at its start, as wrk's whole-millisecond delay() sends them)
            exit codes: 0 done, 1 failed, 2 usage error or refused, 3 compare-alerts found differences
            """;

    private FleetBench() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** One command, errors included, printed to {@code out}, without exiting (the fault drills drive replays so). */
    public static int run(List<String> args, PrintStream out) {
        return run(args, out, out);
    }

    /** One command, its output printed to {@code out} and its errors to {@code err}; returns its exit code. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            err.print(USAGE);
            return 2;
        }
        String command = args.get(0);
        if (command.equals("help") || command.equals("--help")) {
            out.print(USAGE);
            return 0;
        }
        if (command.equals("ingest")) {
            try {
                return IngestCommand.run(args.subList(1, args.size()), out);
            } catch (IllegalArgumentException e) {
                err.println("fleet-bench ingest: " + e.getMessage());
                err.println("('fleet-bench help' lists every option)");
                return 2;
            } catch (Exception e) {
                err.println("fleet-bench ingest failed: " + e);
                return 1;
            }
        }
        if (List.of("record", "replay", "compare-alerts").contains(command)) {
            return logCommand(command, args.subList(1, args.size()), out, err);
        }
        if (!List.of("run", "generate").contains(command)) {
            err.println("fleet-bench: unknown command '" + command + "'");
            err.print(USAGE);
            return 2;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args.subList(1, args.size()));
            BenchRun.settings(options, System.currentTimeMillis());
        } catch (IllegalArgumentException e) {
            err.println("fleet-bench: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        try {
            if (command.equals("run")) {
                execute(options, out);
            } else {
                generate(options, out);
            }
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("fleet-bench: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("fleet-bench: the " + command + " failed: " + e);
            return 1;
        }
    }

    private static int logCommand(String command, List<String> args, PrintStream out, PrintStream err) {
        try {
            return switch (command) {
                case "record" -> RecordCommand.run(args, out);
                case "replay" -> ReplayCommand.run(args, out, err);
                default -> CompareAlertsCommand.run(args, out);
            };
        } catch (IllegalArgumentException e) {
            err.println("fleet-bench " + command + ": " + e.getMessage());
            err.println("('fleet-bench help' lists every option)");
            return 2;
        } catch (IOException e) {
            err.println("fleet-bench " + command + " failed: " + e.getMessage());
            return 1;
        } catch (TimeoutException e) {
            err.println("fleet-bench " + command + " failed: no answer from the broker in time (" + e.getMessage()
                    + "): is it running, and is --bootstrap right?");
            return 1;
        } catch (Exception e) {
            err.println("fleet-bench " + command + " failed: " + e);
            return 1;
        }
    }

    /** Runs the benchmark and writes the report files; returns the report. */
    public static BenchReport execute(BenchOptions options, PrintStream out) throws Exception {
        BenchRun run = new BenchRun(options, out);
        BenchReport report = run.execute();
        Path dir = outputDir(options);
        Files.createDirectories(dir);
        String table = ReportWriter.table(report);
        Files.writeString(dir.resolve("report.txt"), table);
        Files.writeString(dir.resolve("report.json"), ReportWriter.json(report));
        Files.writeString(dir.resolve("report.html"), ReportWriter.html(report));
        Files.writeString(dir.resolve("ground-truth.json"), ContractMapper.shared().writerWithDefaultPrettyPrinter()
                .writeValueAsString(run.truth()));
        out.println();
        out.print(table);
        out.println("Report: " + dir.resolve("report.html") + " (also report.json, report.txt, ground-truth.json)");
        return report;
    }

    private static void generate(BenchOptions options, PrintStream out) throws IOException {
        Scenario scenario = ScenarioGenerator.generate(BenchRun.settings(options, System.currentTimeMillis()));
        Path dir = outputDir(options);
        Files.createDirectories(dir);
        long count = 0;
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("events.ndjson"), StandardCharsets.UTF_8)) {
            for (BenchEvent e : scenario.events()) {
                w.write(WireJson.event(e, true));
                w.newLine();
                count++;
            }
        }
        Files.writeString(dir.resolve("ground-truth.json"), ContractMapper.shared().writerWithDefaultPrettyPrinter()
                .writeValueAsString(scenario.truth()));
        out.printf("Wrote %,d events and %d labels (run %s) to %s%n", count, scenario.truth().labels().size(),
                scenario.runId(), dir);
    }

    private static Path outputDir(BenchOptions options) {
        if (!options.text("out").isBlank()) {
            return Path.of(options.text("out"));
        }
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path base = Files.isDirectory(Path.of("benchmarks")) ? Path.of("benchmarks", "target", "fleet-bench")
                : Path.of("fleet-bench");
        return base.resolve(stamp);
    }
}

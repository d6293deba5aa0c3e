package io.streamfleet.bench.cli;

import io.streamfleet.bench.compare.AlertComparison;
import io.streamfleet.bench.compare.AlertDiff;
import io.streamfleet.bench.compare.ComparisonReport;
import io.streamfleet.bench.replay.LogRecord;
import io.streamfleet.bench.replay.OffsetBound;
import io.streamfleet.bench.replay.RecordingReader;
import io.streamfleet.bench.replay.broker.LogReader;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code fleet-bench compare-alerts}: compares the alerts of two sources by alertId. A source is a recording file
 * (written by {@code record --topics alerts.anomaly,alerts.engagement}) or {@code kafka:HOST:PORT} (the alert topics
 * read to their current end); a prefix per side selects topics named {@code PREFIX + topic}. Exit code 0 when the
 * sets are identical, 3 when they differ.
 */
final class CompareAlertsCommand {

    static final int DIFFERENT = 3;

    static final Map<String, String> DEFAULTS = Map.of("a", "", "b", "", "a-prefix", "", "b-prefix", "",
            "topics", "alerts.anomaly,alerts.engagement", "show", "20", "json", "", "timeout", "30s");

    private CompareAlertsCommand() {
    }

    static int run(List<String> args, PrintStream out) throws Exception {
        CommandOptions o = CommandOptions.parse("compare-alerts", args, DEFAULTS, Set.of());
        String a = o.required("a", "FILE or kafka:HOST:PORT (the first alert set)");
        String b = o.required("b", "FILE or kafka:HOST:PORT (the second alert set)");
        List<String> topics = o.list("topics");
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("--topics needs at least one topic");
        }
        int show = o.integer("show");
        Duration timeout = o.duration("timeout");
        List<LogRecord> setA = load(a, o.text("a-prefix"), topics, timeout);
        List<LogRecord> setB = load(b, o.text("b-prefix"), topics, timeout);
        String labelA = label(a, o.text("a-prefix"));
        String labelB = label(b, o.text("b-prefix"));
        AlertComparison comparison = AlertDiff.compare(setA, setB);
        out.print(ComparisonReport.text(comparison, labelA, labelB, Math.max(0, show)));
        if (o.given("json")) {
            Path json = Path.of(o.text("json"));
            Files.writeString(json, ComparisonReport.json(comparison, labelA, labelB));
            out.println("Report: " + json);
        }
        return comparison.same() ? 0 : DIFFERENT;
    }

    /** The records of {@code prefix + topic} for each topic, renamed to {@code topic}. */
    static List<LogRecord> load(String source, String prefix, List<String> topics, Duration timeout)
            throws Exception {
        List<String> named = topics.stream().map(t -> prefix + t).toList();
        List<LogRecord> records = new ArrayList<>();
        if (source.startsWith("kafka:")) {
            String bootstrap = source.substring("kafka:".length());
            try (LogReader reader = new LogReader(bootstrap, timeout)) {
                List<LogReader.Plan> plans = reader.plan(named, OffsetBound.edge(), OffsetBound.edge());
                reader.read(plans, r -> records.add(renamed(r, prefix)), (done, total, n) -> { });
            }
            return records;
        }
        Path file = Path.of(source);
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("no such file: " + file + " (a broker is written kafka:HOST:PORT)");
        }
        try (RecordingReader reader = ReplayCommand.open(file)) {
            for (String topic : named) {
                if (reader.header().topic(topic).isEmpty()) {
                    throw new IllegalArgumentException(file + " holds no topic " + topic + " (it holds "
                            + String.join(", ", reader.header().topicNames()) + "); record alerts with 'record "
                            + "--topics alerts.anomaly,alerts.engagement', or narrow --topics");
                }
            }
            for (LogRecord r = reader.next(); r != null; r = reader.next()) {
                if (named.contains(r.topic())) {
                    records.add(renamed(r, prefix));
                }
            }
        }
        return records;
    }

    private static LogRecord renamed(LogRecord r, String prefix) {
        return prefix.isEmpty() ? r : new LogRecord(r.topic().substring(prefix.length()), r.partition(), r.offset(),
                r.timestampMs(), r.timestampType(), r.key(), r.value(), r.headers());
    }

    private static String label(String source, String prefix) {
        return prefix.isEmpty() ? source : source + " (topics " + prefix + "*)";
    }
}

package io.streamfleet.bench.cli;

import io.streamfleet.bench.replay.Pacer;
import io.streamfleet.bench.replay.RecordingHeader;
import io.streamfleet.bench.replay.RecordingReader;
import io.streamfleet.bench.replay.broker.LogReplayer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code fleet-bench replay}: loads a recording into topics, each record into its recorded partition, in recorded
 * order, unchanged (progress records included, so the fleet's event time follows the recording, not the wall clock).
 */
final class ReplayCommand {

    static final Map<String, String> DEFAULTS = Map.of("bootstrap", "localhost:9092", "file", "", "speed", "max",
            "topics", "", "topic-prefix", "", "append", "false", "timeout", "30s", "progress", "auto");

    private ReplayCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        CommandOptions o = CommandOptions.parse("replay", args, DEFAULTS, Set.of("append"));
        Path file = Path.of(o.required("file", "FILE (a recording written by 'fleet-bench record')"));
        Pacer pacer = Pacer.parse(o.text("speed"));
        Duration timeout = o.duration("timeout");
        try (RecordingReader reader = open(file)) {
            RecordingHeader header = reader.header();
            Map<String, String> targets = targets(header, o.list("topics"), o.text("topic-prefix"));
            Map<String, Integer> partitions = new LinkedHashMap<>();
            long total = 0;
            long firstMs = Long.MAX_VALUE;
            long lastMs = Long.MIN_VALUE;
            for (RecordingHeader.TopicSummary t : header.topics()) {
                if (targets.containsKey(t.name())) {
                    partitions.put(targets.get(t.name()), t.partitions());
                    total += t.records();
                    if (t.records() > 0) {
                        firstMs = Math.min(firstMs, t.firstTimestampMs());
                        lastMs = Math.max(lastMs, t.lastTimestampMs());
                    }
                }
            }
            LogReplayer replayer = new LogReplayer(o.text("bootstrap"), timeout);
            LogReplayer.Check check = replayer.check(partitions, o.flag("append"));
            check.notes().forEach(n -> out.println("note: " + n));
            if (!check.problems().isEmpty()) {
                check.problems().forEach(p -> err.println("fleet-bench: cannot replay: " + p));
                return 2;
            }
            long spanMs = total == 0 ? 0 : lastMs - firstMs;
            out.printf(Locale.ROOT, "Replaying %,d records of %s from %s into %s at speed %s (recorded span %s%s)%n",
                    total, String.join(", ", targets.keySet()), file, o.text("bootstrap"), pacer.describe(),
                    human(spanMs), pacer.unlimited() ? "" : ", about " + human(pacer.wallMs(spanMs)) + " here");
            WorkProgress progress = new WorkProgress(out, o.text("progress"));
            long all = total;
            LogReplayer.Result result = replayer.replay(reader, targets, pacer, (sent, acked, elapsed, behind) ->
                    progress.update(elapsed, all == 0 ? 1 : (double) acked / all, acked, "records",
                            String.format(Locale.ROOT, "sent %,d/%,d%s", sent, all, behind > 1_000_000_000L
                                    ? String.format(Locale.ROOT, "  %.1f s behind schedule", behind / 1e9) : "")));
            progress.finish();
            double seconds = Math.max(1e-3, result.elapsedNanos() / 1e9);
            out.printf(Locale.ROOT, "Replayed %,d records (%,d progress records) in %.1f s (%,.0f records/s)%n",
                    result.sent(), result.progressRecords(), seconds, result.sent() / seconds);
            result.perTopic().forEach((topic, n) -> out.printf(Locale.ROOT, "  %-20s %,12d records%n", topic, n));
        }
        return 0;
    }

    /** Recorded topic → target topic, for the recorded topics chosen by {@code --topics} (all when empty). */
    static Map<String, String> targets(RecordingHeader header, List<String> chosen, String prefix) {
        for (String topic : chosen) {
            if (header.topic(topic).isEmpty()) {
                throw new IllegalArgumentException("the recording holds no topic " + topic + "; it holds "
                        + String.join(", ", header.topicNames()));
            }
        }
        Map<String, String> targets = new LinkedHashMap<>();
        for (String topic : header.topicNames()) {
            if (chosen.isEmpty() || chosen.contains(topic)) {
                targets.put(topic, prefix + topic);
            }
        }
        return targets;
    }

    static RecordingReader open(Path file) {
        try {
            return RecordingReader.open(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private static String human(long ms) {
        if (ms < 1_000) {
            return ms + " ms";
        }
        long s = ms / 1000;
        return s < 3600 ? String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60)
                : String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }
}

package io.streamfleet.bench.cli;

import io.streamfleet.bench.replay.LogRecord;
import io.streamfleet.bench.replay.OffsetBound;
import io.streamfleet.bench.replay.PartitionSpools;
import io.streamfleet.bench.replay.RecordingHeader;
import io.streamfleet.bench.replay.RecordingTally;
import io.streamfleet.bench.replay.RecordingWriter;
import io.streamfleet.bench.replay.TimeMerge;
import io.streamfleet.bench.replay.broker.LogReader;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code fleet-bench record}: exports a stretch of topics (by default the raw topics, events and progress records)
 * to a recording file. Each partition is spooled to its own temporary file, then all are merged by timestamp into the
 * recording, so a paced replay can stream it in one pass.
 */
final class RecordCommand {

    static final Map<String, String> DEFAULTS = Map.of("bootstrap", "localhost:9092",
            "topics", "orders.raw,engagement.raw", "from-offset", "", "from-time", "", "to-offset", "",
            "to-time", "", "out", "", "force", "false", "timeout", "30s", "progress", "auto");

    private RecordCommand() {
    }

    static int run(List<String> args, PrintStream out) throws Exception {
        CommandOptions o = CommandOptions.parse("record", args, DEFAULTS, Set.of("force"));
        Path file = Path.of(o.required("out", "FILE (the recording to write, e.g. day.ndjson.gz)"));
        if (Files.exists(file) && !o.flag("force")) {
            throw new IllegalArgumentException(file + " exists: pass --force to overwrite it");
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + " is a folder: --out names the recording file");
        }
        OffsetBound from = bound(o, "from");
        OffsetBound to = bound(o, "to");
        List<String> topics = o.list("topics");
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("--topics needs at least one topic");
        }
        try (LogReader reader = new LogReader(o.text("bootstrap"), o.duration("timeout"))) {
            List<LogReader.Plan> plans = reader.plan(topics, from, to);
            long offsets = plans.stream().mapToLong(LogReader.Plan::offsets).sum();
            out.printf(Locale.ROOT, "Recording %s from %s into %s (%,d offsets)%n", describe(plans),
                    o.text("bootstrap"), file, offsets);
            RecordingTally tally = new RecordingTally();
            WorkProgress progress = new WorkProgress(out, o.text("progress"));
            long start = System.nanoTime();
            try (PartitionSpools spools = new PartitionSpools(file)) {
                for (LogReader.Plan plan : plans) {
                    Map<Integer, long[]> ranges = new LinkedHashMap<>();
                    for (LogReader.Range r : plan.ranges()) {
                        ranges.put(r.partition(), new long[] {r.from(), r.to()});
                        spools.declare(plan.topic(), r.partition());
                    }
                    tally.plan(plan.topic(), plan.partitions(), ranges);
                }
                reader.read(plans, record -> {
                    tally.add(record);
                    spools.add(record);
                }, (done, total, records) -> progress.update(System.nanoTime() - start,
                        total == 0 ? 1 : (double) done / total, records, "records", "reading"));
                progress.finish();
                RecordingHeader header = tally.header(System.currentTimeMillis(), o.text("bootstrap"));
                long total = header.records();
                RecordingWriter.write(file, header, new TimeMerge<>(spools.finish(), LogRecord::timestampMs),
                        written -> progress.update(System.nanoTime() - start, total == 0 ? 1 : (double) written / total,
                                written, "records", "writing " + file.getFileName()));
                progress.finish();
                summary(out, header, file, System.nanoTime() - start);
            }
        }
        return 0;
    }

    private static OffsetBound bound(CommandOptions o, String end) {
        boolean byOffset = o.given(end + "-offset");
        boolean byTime = o.given(end + "-time");
        if (byOffset && byTime) {
            throw new IllegalArgumentException("give --" + end + "-offset or --" + end + "-time, not both");
        }
        if (byOffset) {
            return OffsetBound.parseOffsets(end + "-offset", o.text(end + "-offset"));
        }
        return byTime ? OffsetBound.parseTime(end + "-time", o.text(end + "-time")) : OffsetBound.edge();
    }

    private static String describe(List<LogReader.Plan> plans) {
        StringBuilder s = new StringBuilder();
        for (LogReader.Plan p : plans) {
            s.append(s.isEmpty() ? "" : ", ").append(p.topic()).append(" (").append(p.partitions())
                    .append(p.partitions() == 1 ? " partition)" : " partitions)");
        }
        return s.toString();
    }

    private static void summary(PrintStream out, RecordingHeader h, Path file, long nanos) throws Exception {
        double seconds = Math.max(1e-3, nanos / 1e9);
        out.printf(Locale.ROOT, "Recorded %,d records in %.1f s (%,.0f records/s) to %s (%,d bytes)%n", h.records(),
                seconds, h.records() / seconds, file, Files.size(file));
        for (RecordingHeader.TopicSummary t : h.topics()) {
            out.printf(Locale.ROOT, "  %-20s %,12d records (%,d progress records)  %s%n", t.name(), t.records(),
                    t.progressRecords(), t.records() == 0 ? "" : "timestamps " + Instant.ofEpochMilli(
                            t.firstTimestampMs()) + " .. " + Instant.ofEpochMilli(t.lastTimestampMs()));
        }
    }
}

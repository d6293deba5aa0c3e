package io.streamfleet.bench.replay;

import io.streamfleet.bench.replay.RecordingHeader.PartitionRange;
import io.streamfleet.bench.replay.RecordingHeader.TopicSummary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Counts what a recording takes in, per topic and partition, and turns the counts into its header. */
public final class RecordingTally {

    private final Map<String, Topic> topics = new LinkedHashMap<>();

    /** Declares a topic and the offsets planned per partition ({@code [from, to)}), before any record arrives. */
    public void plan(String topic, int partitions, Map<Integer, long[]> offsets) {
        Topic t = new Topic(partitions);
        offsets.forEach((p, range) -> t.ranges.put(p, new long[] {range[0], range[1], 0}));
        topics.put(topic, t);
    }

    public void add(LogRecord record) {
        Topic t = topics.get(record.topic());
        if (t == null) {
            throw new IllegalArgumentException("record of unplanned topic " + record.position());
        }
        long[] range = t.ranges.get(record.partition());
        if (range == null) {
            throw new IllegalArgumentException("record of unplanned partition " + record.position());
        }
        range[2]++;
        t.records++;
        if (record.isProgress()) {
            t.progress++;
        }
        t.first = t.records == 1 ? record.timestampMs() : Math.min(t.first, record.timestampMs());
        t.last = t.records == 1 ? record.timestampMs() : Math.max(t.last, record.timestampMs());
    }

    public long records() {
        return topics.values().stream().mapToLong(t -> t.records).sum();
    }

    public RecordingHeader header(long recordedAtMs, String source) {
        List<TopicSummary> summaries = new ArrayList<>();
        topics.forEach((name, t) -> {
            List<PartitionRange> ranges = new ArrayList<>();
            t.ranges.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> ranges.add(
                    new PartitionRange(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2])));
            summaries.add(new TopicSummary(name, t.partitions, t.records, t.progress, t.records == 0 ? -1 : t.first,
                    t.records == 0 ? -1 : t.last, ranges));
        });
        return new RecordingHeader(LogCodec.VERSION, recordedAtMs, source, summaries);
    }

    private static final class Topic {
        final int partitions;
        final Map<Integer, long[]> ranges = new LinkedHashMap<>();
        long records;
        long progress;
        long first;
        long last;

        Topic(int partitions) {
            this.partitions = partitions;
        }
    }
}

package io.streamfleet.bench.replay;

import java.util.List;
import java.util.Optional;

/**
 * The first line of a recording: what it holds, so a replay can check its target and show progress before reading
 * the records. Counts are exact: a reader that finds fewer records than announced reports the file as incomplete.
 *
 * @param version      format version ({@link LogCodec#VERSION})
 * @param recordedAtMs when the recording finished (wall clock)
 * @param source       where the records came from (bootstrap servers)
 * @param topics       one summary per recorded topic, in the order given to {@code record}
 */
public record RecordingHeader(int version, long recordedAtMs, String source, List<TopicSummary> topics) {

    public RecordingHeader {
        topics = List.copyOf(topics);
    }

    public long records() {
        return topics.stream().mapToLong(TopicSummary::records).sum();
    }

    public Optional<TopicSummary> topic(String name) {
        return topics.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public List<String> topicNames() {
        return topics.stream().map(TopicSummary::name).toList();
    }

    /**
     * One recorded topic.
     *
     * @param partitions      the topic's partition count when recorded: a replay target needs at least as many
     * @param records         records in the file, progress records included
     * @param progressRecords of which progress records
     * @param firstTimestampMs smallest record timestamp, -1 when there is no record
     * @param lastTimestampMs  largest record timestamp, -1 when there is no record
     * @param ranges          per partition: the offsets read, {@code [fromOffset, toOffset)}
     */
    public record TopicSummary(String name, int partitions, long records, long progressRecords,
                               long firstTimestampMs, long lastTimestampMs, List<PartitionRange> ranges) {

        public TopicSummary {
            ranges = List.copyOf(ranges);
        }
    }

    /** The offsets {@code [fromOffset, toOffset)} read from one partition, and how many records they held. */
    public record PartitionRange(int partition, long fromOffset, long toOffset, long records) {
    }
}

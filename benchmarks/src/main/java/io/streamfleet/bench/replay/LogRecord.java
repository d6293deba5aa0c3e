package io.streamfleet.bench.replay;

import io.streamfleet.contracts.progress.ProgressRecords;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One record of a topic as a recording holds it: where it was ({@code topic}, {@code partition}, {@code offset}),
 * its timestamp, and its exact key, value and header bytes. Progress records are records like any other here (null
 * key and value, {@code sf-progress*} headers): a replay must carry them along in order with the data.
 *
 * @param timestampType Kafka's name for the timestamp's kind ({@code CreateTime}, {@code LogAppendTime})
 */
public record LogRecord(String topic, int partition, long offset, long timestampMs, String timestampType,
                        byte[] key, byte[] value, List<LogHeader> headers) {

    public LogRecord {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(timestampType, "timestampType");
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0, was " + partition);
        }
        headers = List.copyOf(headers);
    }

    /** True for a progress record: it carries the {@code sf-progress} header (see {@link ProgressRecords}). */
    public boolean isProgress() {
        for (LogHeader h : headers) {
            if (h.name().equals(ProgressRecords.SOURCE)) {
                return true;
            }
        }
        return false;
    }

    /** {@code topic-partition@offset}, for messages. */
    public String position() {
        return topic + "-" + partition + "@" + offset;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogRecord r && topic.equals(r.topic) && partition == r.partition && offset == r.offset
                && timestampMs == r.timestampMs && timestampType.equals(r.timestampType)
                && Arrays.equals(key, r.key) && Arrays.equals(value, r.value) && headers.equals(r.headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, offset, timestampMs, timestampType, Arrays.hashCode(key),
                Arrays.hashCode(value), headers);
    }

    @Override
    public String toString() {
        return position() + " ts=" + timestampMs + " key=" + text(key) + " value=" + text(value) + " headers="
                + headers;
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
    }
}

package io.streamfleet.contracts.progress;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The wire format of progress records, and the helpers any consumer or producer of the raw and clean topics needs.
 *
 * <p>A progress record has a {@code null} key and a {@code null} value, is written to an explicit partition, and
 * carries three headers (UTF-8 text, readable in console tools):
 * <ul>
 *   <li>{@value #SOURCE} — who wrote it; its presence is what marks a progress record;</li>
 *   <li>{@value #KIND} — {@code clock}, {@code leaving} or {@code stream-time} ({@link ProgressKind});</li>
 *   <li>{@value #TIME_MS} — epoch milliseconds, decimal.</li>
 * </ul>
 * Only {@code orders.raw}, {@code engagement.raw}, {@code orders.clean} and {@code engagement.clean} carry them. A
 * consumer that only wants data skips every record for which {@link #isProgress(Headers)} is true, or wraps its value
 * deserializer in {@link #skipping(Deserializer)} and drops the {@code null} values.
 */
public final class ProgressRecords {

    /** Marks a progress record and names its writer. */
    public static final String SOURCE = "sf-progress";
    public static final String KIND = "sf-progress-kind";
    public static final String TIME_MS = "sf-progress-ms";

    private ProgressRecords() {
    }

    /** True when the record is a progress record (it has the {@value #SOURCE} header), whatever its value. */
    public static boolean isProgress(Headers headers) {
        return headers != null && headers.lastHeader(SOURCE) != null;
    }

    /**
     * Reads the mark of a progress record.
     *
     * @throws IllegalArgumentException when the record is not a progress record or a header is missing or malformed;
     *                                  the message names the header
     */
    public static ProgressMark read(Headers headers) {
        String source = text(headers, SOURCE);
        ProgressKind kind = ProgressKind.fromWire(text(headers, KIND));
        String time = text(headers, TIME_MS);
        long timeMs;
        try {
            timeMs = Long.parseLong(time);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("header " + TIME_MS + " must be decimal epoch ms, was '" + time + "'");
        }
        return new ProgressMark(source, kind, timeMs);
    }

    /** The headers that carry {@code mark}. */
    public static Headers headers(ProgressMark mark) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(SOURCE, bytes(mark.source()));
        headers.add(KIND, bytes(mark.kind().wireName()));
        headers.add(TIME_MS, bytes(Long.toString(mark.timeMs())));
        return headers;
    }

    /** A progress record for one partition of {@code topic}: null key and value, the mark in headers. */
    @SuppressWarnings("unchecked")
    public static <K, V> ProducerRecord<K, V> record(String topic, int partition, ProgressMark mark) {
        return new ProducerRecord<>(topic, partition, (Long) null, (K) null, (V) null, headers(mark));
    }

    /**
     * Wraps a value deserializer so that progress records deserialize to {@code null} instead of failing (their
     * value is empty). Data records are passed to {@code delegate} unchanged.
     */
    public static <T> Deserializer<T> skipping(Deserializer<T> delegate) {
        return new Deserializer<>() {
            @Override
            public void configure(Map<String, ?> configs, boolean isKey) {
                delegate.configure(configs, isKey);
            }

            @Override
            public T deserialize(String topic, byte[] data) {
                return delegate.deserialize(topic, data);
            }

            @Override
            public T deserialize(String topic, Headers headers, byte[] data) {
                return isProgress(headers) ? null : delegate.deserialize(topic, headers, data);
            }

            @Override
            public void close() {
                delegate.close();
            }
        };
    }

    private static String text(Headers headers, String name) {
        Header header = headers == null ? null : headers.lastHeader(name);
        if (header == null || header.value() == null) {
            throw new IllegalArgumentException("progress record without header " + name);
        }
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

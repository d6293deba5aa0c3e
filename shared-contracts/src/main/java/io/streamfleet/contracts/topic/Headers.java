package io.streamfleet.contracts.topic;

import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;

/**
 * Names and codecs of the Kafka record headers every stage propagates. Values are UTF-8 decimal strings so they
 * stay readable in console tools.
 */
public final class Headers {

    /** Epoch ms at which the gateway accepted the event; propagated to alerts for end-to-end latency. */
    public static final String INGESTED_AT_MS = "sf-ingested-at-ms";
    /** The API key id (not the secret) that submitted the event. */
    public static final String SUBMITTED_BY = "sf-submitted-by";
    /** On late topics: the stage that found the record late. */
    public static final String LATE_AT_STAGE = "sf-late-stage";
    /** On late topics: the watermark the record was behind, epoch ms. */
    public static final String LATE_WATERMARK_MS = "sf-late-watermark-ms";

    private Headers() {
    }

    public static byte[] encodeLong(long value) {
        return Long.toString(value).getBytes(StandardCharsets.UTF_8);
    }

    /** Decodes a long header, or returns {@code fallback} when it is missing or malformed. */
    public static long decodeLong(Header header, long fallback) {
        if (header == null || header.value() == null) {
            return fallback;
        }
        try {
            return Long.parseLong(new String(header.value(), StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** Reads the last value of a long header from a header set. */
    public static long lastLong(org.apache.kafka.common.header.Headers headers, String name, long fallback) {
        return headers == null ? fallback : decodeLong(headers.lastHeader(name), fallback);
    }
}

package io.streamfleet.alerts.relay.event;

import io.streamfleet.contracts.alert.Alert;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The CloudEvents attributes of a relayed alert, named as the CloudEvents Kafka protocol binding names them in binary
 * content mode ({@code ce_} prefix, {@code content-type} for the data's media type). The data is the alert's JSON as
 * stored on its topic, so the headers are the whole envelope: {@code ce_id} is the alertId, stable across redeliveries,
 * which is what a consumer deduplicates by.
 *
 * @param source the {@code ce_source} URI-reference identifying this producer
 */
public record CloudEventHeaders(String source) {

    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String SPEC_VERSION = "ce_specversion";
    public static final String TYPE = "ce_type";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    public static final String CONTENT_TYPE = "content-type";
    /** Prefix of {@code ce_type}: reverse-DNS, then the alert type in lower case ({@code ….burst_create_mass_cancel}). */
    public static final String TYPE_PREFIX = "io.streamfleet.alert.";

    public CloudEventHeaders {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("source: the CloudEvents source must not be blank");
        }
    }

    /** The headers of one alert, in a stable order. */
    public Map<String, String> of(Alert alert) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(SPEC_VERSION, "1.0");
        headers.put(ID, alert.alertId());
        headers.put(SOURCE, source);
        headers.put(TYPE, TYPE_PREFIX + alert.type().name().toLowerCase(Locale.ROOT));
        // RFC 3339 in UTC: when the detector raised the alert, not when it was relayed (same value on every retry)
        headers.put(TIME, Instant.ofEpochMilli(alert.detectedAtMs()).toString());
        headers.put(SUBJECT, alert.key());
        headers.put(CONTENT_TYPE, "application/json");
        return headers;
    }
}

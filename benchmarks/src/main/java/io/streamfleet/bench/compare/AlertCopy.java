package io.streamfleet.bench.compare;

import io.streamfleet.bench.replay.LogRecord;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One alert record as found in an alert topic: its id, record key and timestamp, and its value as a JSON object.
 *
 * @param position where it was read ({@code topic-partition@offset}), for messages
 */
public record AlertCopy(String topic, String alertId, String key, long timestampMs, JsonNode value,
                        String position) {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** The alert in {@code record}; empty when its value is not a JSON object with a non-empty alertId. */
    public static Optional<AlertCopy> of(LogRecord record) {
        if (record.value() == null) {
            return Optional.empty();
        }
        JsonNode value;
        try {
            value = MAPPER.readTree(record.value());
        } catch (JacksonException e) {
            return Optional.empty();
        }
        String id = value == null || !value.isObject() ? "" : value.path("alertId").stringValue("");
        if (id.isEmpty()) {
            return Optional.empty();
        }
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        return Optional.of(new AlertCopy(record.topic(), id, key, record.timestampMs(), value, record.position()));
    }

    public String type() {
        return value.path("type").stringValue("?");
    }

    public long detectedAtMs() {
        return value.path("detectedAtMs").asLong(-1);
    }
}

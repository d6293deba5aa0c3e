package io.streamfleet.alerts.intake;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamfleet.alerts.alert.FeedAlert;
import io.streamfleet.contracts.alert.Alert;
import io.streamfleet.contracts.alert.AlertType;
import io.streamfleet.contracts.alert.AnomalyAlert;
import io.streamfleet.contracts.alert.EngagementAlert;
import io.streamfleet.contracts.json.ContractMapper;
import io.streamfleet.contracts.topic.Headers;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Turns alert records into {@link FeedAlert}s: the anomaly topic holds {@link AnomalyAlert}s, the engagement topic
 * {@link EngagementAlert}s. A record that cannot be read is logged once with its position and counted, never fatal.
 */
public final class AlertDecoder {

    private static final Logger log = LoggerFactory.getLogger(AlertDecoder.class);

    private final String anomalyTopic;
    private final String engagementTopic;
    private final Counter invalid;
    private final Map<AlertType, Counter> consumed = new EnumMap<>(AlertType.class);

    public AlertDecoder(String anomalyTopic, String engagementTopic, MeterRegistry registry) {
        this.anomalyTopic = anomalyTopic;
        this.engagementTopic = engagementTopic;
        this.invalid = Counter.builder("streamfleet.alerts.consumed.invalid")
                .description("Alert records that could not be read (skipped)").register(registry);
        for (AlertType type : AlertType.values()) {
            consumed.put(type, Counter.builder("streamfleet.alerts.consumed").tag("type", type.name())
                    .description("Alerts read from the alert topics by the live feed").register(registry));
        }
    }

    /** Decodes without counting (for readers other than the live tail). */
    public Optional<FeedAlert> decode(ConsumerRecord<byte[], byte[]> record) {
        Class<? extends Alert> type = record.topic().equals(anomalyTopic) ? AnomalyAlert.class
                : record.topic().equals(engagementTopic) ? EngagementAlert.class : null;
        if (type == null || record.value() == null) {
            return Optional.empty();
        }
        try {
            Alert alert = ContractMapper.shared().readValue(record.value(), type);
            long ingestedAt = Headers.lastLong(record.headers(), Headers.INGESTED_AT_MS, -1);
            return Optional.of(new FeedAlert(record.topic(), record.partition(), record.offset(), ingestedAt, alert,
                    new String(record.value(), StandardCharsets.UTF_8)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Decodes a record of the live tail, counting it by type or as invalid. */
    public Optional<FeedAlert> decodeCounted(ConsumerRecord<byte[], byte[]> record) {
        Optional<FeedAlert> decoded = decode(record);
        if (decoded.isPresent()) {
            consumed.get(decoded.get().alert().type()).increment();
        } else {
            invalid.increment();
            log.warn("skipped unreadable alert record {}-{}@{}", record.topic(), record.partition(), record.offset());
        }
        return decoded;
    }
}

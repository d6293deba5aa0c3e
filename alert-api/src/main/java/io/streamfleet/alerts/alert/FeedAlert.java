package io.streamfleet.alerts.alert;

import io.streamfleet.contracts.alert.Alert;

/**
 * One alert as read from its Kafka topic: where it sits (its durable position) and its JSON exactly as on the wire.
 *
 * @param topic        alert topic
 * @param partition    partition
 * @param offset       offset
 * @param ingestedAtMs gateway ingestion time from the record header, or -1 when absent
 * @param alert        the decoded alert
 * @param json         the alert's JSON as stored on the topic
 */
public record FeedAlert(String topic, int partition, long offset, long ingestedAtMs, Alert alert, String json) {
}

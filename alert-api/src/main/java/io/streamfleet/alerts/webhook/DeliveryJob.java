package io.streamfleet.alerts.webhook;

import io.streamfleet.alerts.alert.FeedAlert;
import io.streamfleet.alerts.webhook.model.DeadLetter;

import java.time.Instant;

/**
 * One alert to deliver to one subscription, with its attempts so far.
 *
 * @param payload      the request body (same for every attempt)
 * @param consumedAtMs when the alert was consumed (for delivery latency)
 * @param onFinished   called once: success, dead letter, or nothing left to do
 */
record DeliveryJob(String subscriptionId, String alertId, String payload, String alertTopic, int partition,
                   long offset, long ingestedAtMs, long consumedAtMs, int attempts, boolean redelivery,
                   Runnable onFinished) {

    static DeliveryJob of(String subscriptionId, FeedAlert alert, long nowMs, Runnable onFinished) {
        String payload = "{\"type\":\"" + alert.alert().type().name() + "\",\"timestamp\":\""
                + Instant.ofEpochMilli(alert.alert().detectedAtMs()) + "\",\"data\":" + alert.json() + "}";
        return new DeliveryJob(subscriptionId, alert.alert().alertId(), payload, alert.topic(), alert.partition(),
                alert.offset(), alert.ingestedAtMs(), nowMs, 0, false, onFinished);
    }

    static DeliveryJob redelivery(DeadLetter deadLetter, long nowMs) {
        return new DeliveryJob(deadLetter.subscriptionId(), deadLetter.alertId(), deadLetter.payload(),
                deadLetter.alertTopic(), deadLetter.partition(), deadLetter.offset(), deadLetter.ingestedAtMs(), nowMs,
                0, true, () -> { });
    }

    DeliveryJob afterAttempt() {
        return new DeliveryJob(subscriptionId, alertId, payload, alertTopic, partition, offset, ingestedAtMs,
                consumedAtMs, attempts + 1, redelivery, onFinished);
    }
}

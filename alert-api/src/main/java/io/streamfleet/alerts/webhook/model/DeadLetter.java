package io.streamfleet.alerts.webhook.model;

/**
 * A delivery that used up its attempts (or hit a 410), as written to the dead-letter topic (key = subscription id).
 *
 * @param subscriptionId subscription
 * @param alertId        the alert, which is also the {@code webhook-id}
 * @param alertTopic     where the alert came from
 * @param partition      its partition
 * @param offset         its offset
 * @param ingestedAtMs   ingestion time of the alert's source event, or -1
 * @param payload        the request body that was sent, so a redelivery needs nothing else
 * @param attempts       attempts made
 * @param lastOutcome    outcome of the last attempt
 * @param lastStatus     HTTP status of the last attempt, 0 if none
 * @param deadAtMs       when it was dead-lettered
 */
public record DeadLetter(String subscriptionId, String alertId, String alertTopic, int partition, long offset,
                         long ingestedAtMs, String payload, int attempts, String lastOutcome, int lastStatus,
                         long deadAtMs) {
}

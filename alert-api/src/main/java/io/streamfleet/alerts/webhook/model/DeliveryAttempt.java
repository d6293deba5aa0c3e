package io.streamfleet.alerts.webhook.model;

/**
 * One entry of a subscription's attempt log (topic key = subscription id).
 *
 * @param subscriptionId subscription
 * @param alertId        the alert ({@code webhook-id})
 * @param attempt        1 for the first attempt of a delivery
 * @param outcome        see {@link Outcome}
 * @param status         HTTP status, 0 when no response
 * @param durationMs     request duration
 * @param atMs           when the attempt started
 * @param error          short error text, or null
 * @param nextRetryInMs  delay before the next attempt, or -1 when none follows
 * @param redelivery     part of a manual redelivery from the dead letters
 */
public record DeliveryAttempt(String subscriptionId, String alertId, int attempt, String outcome, int status,
                              long durationMs, long atMs, String error, long nextRetryInMs, boolean redelivery) {

    /** Attempt outcomes (also the {@code outcome} tag of the attempts metric). */
    public static final class Outcome {
        public static final String SUCCESS = "success";
        public static final String HTTP_ERROR = "http_error";
        public static final String TIMEOUT = "timeout";
        public static final String CONNECT_ERROR = "connect_error";
        public static final String IO_ERROR = "io_error";
        public static final String CIRCUIT_OPEN = "circuit_open";
        public static final String GONE = "gone";
        public static final String BLOCKED_TARGET = "blocked_target";

        private Outcome() {
        }
    }
}

package io.streamfleet.gateway.intake;

/** Why a valid event was not acknowledged by Kafka; all are worth a retry after a while. */
public enum PublishFailure {
    /** The circuit breaker is open: Kafka failed recently, the gateway fails fast. */
    CIRCUIT_OPEN("Kafka is unavailable; the gateway is failing fast until it recovers"),
    /** Too much publishing is in flight already (bulkhead full). */
    SATURATED("the gateway is saturated; too many publishes are in flight"),
    /** No acknowledgement within the send timeout. */
    TIMEOUT("Kafka did not acknowledge the event within the send timeout"),
    /** The producer reported an error. */
    BROKER_ERROR("Kafka refused or lost the event");

    private final String message;

    PublishFailure(String message) {
        this.message = message;
    }

    public String message() {
        return message;
    }

    public String tag() {
        return name().toLowerCase();
    }
}

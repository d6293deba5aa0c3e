package io.streamfleet.gateway.intake;

/** Why a valid event was not acknowledged by Kafka; all are worth a retry after a while. */
public enum PublishFailure {
    /** The circuit breaker is open: Kafka failed recently, the gateway fails fast. */
    CIRCUIT_OPEN("Kafka is unavailable; the gateway is failing fast until it recovers"),
    /**
     * Refused before anything was sent: the gateway's publish queue would hold the event longer than its max-hold
     * (the admission rule, docs/ingest-gateway.md#overload-admission-control-max-hold). The event is certainly not
     * in Kafka.
     */
    OVERLOADED("the gateway is overloaded; the event was not sent to Kafka, retry after the advised delay"),
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

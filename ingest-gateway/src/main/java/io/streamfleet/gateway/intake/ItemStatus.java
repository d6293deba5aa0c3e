package io.streamfleet.gateway.intake;

/** The final state of one submitted event. */
public enum ItemStatus {
    /** Kafka acknowledged the event (acks=all). */
    ACCEPTED,
    /** The event is invalid and was not forwarded; resending it unchanged will fail again. */
    REJECTED,
    /** The event is valid but Kafka did not acknowledge it in time; it may be retried. */
    UNAVAILABLE;

    public String wireName() {
        return name().toLowerCase();
    }
}

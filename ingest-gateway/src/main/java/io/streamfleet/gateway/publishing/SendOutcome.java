package io.streamfleet.gateway.publishing;

import io.streamfleet.gateway.intake.PublishFailure;

/** What Kafka said about one sent event: its position, or why it was not acknowledged. */
public record SendOutcome(String topic, int partition, long offset, PublishFailure failure) {

    public static SendOutcome acked(String topic, int partition, long offset) {
        return new SendOutcome(topic, partition, offset, null);
    }

    public static SendOutcome failed(PublishFailure failure) {
        return new SendOutcome(null, -1, -1, failure);
    }

    public boolean acked() {
        return failure == null;
    }
}

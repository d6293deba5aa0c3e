package io.streamfleet.gateway.intake;

import io.streamfleet.contracts.validation.FieldError;

import java.util.List;

/** One event of a request after validation: ready to publish, or rejected with the exact errors. */
public sealed interface IntakeItem {

    /** Position of the event in its request (0-based; NDJSON counts non-blank lines). */
    int index();

    /** The event's id when it could be read, else null. */
    String eventId();

    /** The event's kind when it could be determined, else null. */
    EventKind kind();

    /**
     * A valid event in its normalized wire form (unknown fields and {@code kind} dropped).
     *
     * @param key     the Kafka record key (docs/contracts.md#keys-and-partitions)
     * @param payload the JSON value to publish
     */
    record Valid(int index, String eventId, EventKind kind, String key, byte[] payload, long eventTimeMs)
            implements IntakeItem {
    }

    /** An event that must not be forwarded. */
    record Invalid(int index, String eventId, EventKind kind, RejectReason reason, List<FieldError> errors)
            implements IntakeItem {

        public Invalid {
            errors = List.copyOf(errors);
        }
    }
}

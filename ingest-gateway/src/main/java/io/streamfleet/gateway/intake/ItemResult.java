package io.streamfleet.gateway.intake;

import io.streamfleet.contracts.validation.FieldError;

import java.util.List;

/**
 * The answer for one event of a request, by index.
 *
 * @param reason    for REJECTED the reject reason tag, for UNAVAILABLE the publish failure tag, else null
 * @param errors    field errors (REJECTED) or one error explaining the failure (UNAVAILABLE); empty when ACCEPTED
 * @param partition Kafka partition of an accepted event, else -1
 * @param offset    Kafka offset of an accepted event, else -1
 */
public record ItemResult(int index, String eventId, EventKind kind, ItemStatus status, String reason,
                         List<FieldError> errors, String topic, int partition, long offset) {

    public ItemResult {
        errors = List.copyOf(errors);
    }

    public static ItemResult accepted(IntakeItem.Valid item, String topic, int partition, long offset) {
        return new ItemResult(item.index(), item.eventId(), item.kind(), ItemStatus.ACCEPTED, null, List.of(),
                topic, partition, offset);
    }

    public static ItemResult rejected(IntakeItem.Invalid item) {
        return new ItemResult(item.index(), item.eventId(), item.kind(), ItemStatus.REJECTED, item.reason().tag(),
                item.errors(), null, -1, -1);
    }

    public static ItemResult unavailable(IntakeItem.Valid item, PublishFailure failure) {
        return new ItemResult(item.index(), item.eventId(), item.kind(), ItemStatus.UNAVAILABLE, failure.tag(),
                List.of(new FieldError("$", failure.message())), null, -1, -1);
    }

    /** The errors as one line, for WebSocket acks. */
    public String errorLine() {
        return errors.isEmpty() ? null : String.join("; ", errors.stream().map(FieldError::toString).toList());
    }
}

package io.streamfleet.contracts.event;

import io.streamfleet.contracts.validation.FieldChecks;
import io.streamfleet.contracts.validation.FieldError;
import io.streamfleet.contracts.validation.Validatable;

import java.util.List;

/**
 * One user-interaction event (docs/contracts.md#engagement-events). Keyed on Kafka by {@code userId}.
 *
 * @param eventId     unique per event, 1–128 characters
 * @param userId      1–64 characters
 * @param contentId   1–128 characters
 * @param eventType   view_start, view_end, scroll or click
 * @param eventTimeMs event time, epoch milliseconds
 * @param dwellMs     time spent on the content, at least 0 (default 0)
 * @param completed   whether the view was completed (default false)
 */
public record EngagementEvent(
        String eventId,
        String userId,
        String contentId,
        EngagementEventType eventType,
        long eventTimeMs,
        long dwellMs,
        boolean completed) implements Validatable {

    public static final int MAX_EVENT_ID = 128;
    public static final int MAX_USER_ID = 64;
    public static final int MAX_CONTENT_ID = 128;

    /** Kafka record key: engagement is partitioned per user. */
    public String key() {
        return userId;
    }

    public EngagementEvent withEventTimeMs(long newEventTimeMs) {
        return new EngagementEvent(eventId, userId, contentId, eventType, newEventTimeMs, dwellMs, completed);
    }

    @Override
    public List<FieldError> violations() {
        return new FieldChecks()
                .text("eventId", eventId, 1, MAX_EVENT_ID)
                .text("userId", userId, 1, MAX_USER_ID)
                .text("contentId", contentId, 1, MAX_CONTENT_ID)
                .required("eventType", eventType)
                .nonNegative("eventTimeMs", eventTimeMs)
                .nonNegative("dwellMs", dwellMs)
                .errors();
    }
}

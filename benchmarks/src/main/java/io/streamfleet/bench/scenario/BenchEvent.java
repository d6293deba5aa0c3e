package io.streamfleet.bench.scenario;

import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.OrderEvent;

/**
 * One event of a scenario with the time it is meant to be sent.
 *
 * @param sendOffsetNanos intended send time, nanoseconds after the run start
 * @param order           the order event, or null
 * @param engagement      the engagement event, or null
 * @param tag             why it is there
 * @param labelId         id of the episode or near-miss it belongs to, or null
 */
public record BenchEvent(long sendOffsetNanos, OrderEvent order, EngagementEvent engagement, EventTag tag,
                         String labelId) {

    public BenchEvent {
        if ((order == null) == (engagement == null)) {
            throw new IllegalArgumentException("exactly one of order and engagement must be set");
        }
    }

    public static BenchEvent order(long sendOffsetNanos, OrderEvent event, EventTag tag, String labelId) {
        return new BenchEvent(sendOffsetNanos, event, null, tag, labelId);
    }

    public static BenchEvent engagement(long sendOffsetNanos, EngagementEvent event, EventTag tag, String labelId) {
        return new BenchEvent(sendOffsetNanos, null, event, tag, labelId);
    }

    public boolean isOrder() {
        return order != null;
    }

    public String eventId() {
        return order != null ? order.eventId() : engagement.eventId();
    }

    /** The partition key, the key its alerts carry: the order's account and symbol, or the user. */
    public String key() {
        return order != null ? order.key() : engagement.key();
    }

    public long eventTimeMs() {
        return order != null ? order.eventTimeMs() : engagement.eventTimeMs();
    }

    public BenchEvent resentAt(long newSendOffsetNanos, EventTag newTag) {
        return new BenchEvent(newSendOffsetNanos, order, engagement, newTag, labelId);
    }
}

package io.streamfleet.cep.engine.runtime;

/**
 * Position of an event in the (eventTimeMs, eventId) order, without the event itself.
 *
 * @param timeMs  event time
 * @param eventId event id
 */
public record EventRef(long timeMs, String eventId) implements Comparable<EventRef> {

    @Override
    public int compareTo(EventRef other) {
        int byTime = Long.compare(timeMs, other.timeMs);
        return byTime != 0 ? byTime : eventId.compareTo(other.eventId);
    }
}

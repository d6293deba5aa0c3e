package io.streamfleet.cep.engine.pattern;

import java.util.List;

/**
 * The events one stage collected in a match, in event order.
 *
 * @param stage  stage name
 * @param events collected events
 * @param <E>    event type
 */
public record StageEvents<E>(String stage, List<E> events) {

    public StageEvents {
        events = List.copyOf(events);
    }

    public int size() {
        return events.size();
    }
}

package io.streamfleet.cep.engine.pattern;

import java.util.Comparator;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The total order of a pattern's events: event time first, then event id (String order) as the tie-breaker, so two
 * runs over the same events always see them in the same sequence whatever order they arrived in.
 *
 * @param timeOf event time in epoch milliseconds
 * @param idOf   unique event id
 * @param <E>    event type
 */
public record EventOrder<E>(ToLongFunction<E> timeOf, Function<E, String> idOf) implements Comparator<E> {

    public EventOrder {
        Objects.requireNonNull(timeOf, "timeOf");
        Objects.requireNonNull(idOf, "idOf");
    }

    public long time(E event) {
        return timeOf.applyAsLong(event);
    }

    public String id(E event) {
        return idOf.apply(event);
    }

    @Override
    public int compare(E a, E b) {
        int byTime = Long.compare(time(a), time(b));
        return byTime != 0 ? byTime : id(a).compareTo(id(b));
    }
}

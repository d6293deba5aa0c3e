package io.streamfleet.cep.engine.runtime;

import io.streamfleet.cep.engine.pattern.Match;

import java.util.List;

/**
 * Result of {@link Matcher#advanceTime}: the matches completed by the new watermark, in candidate order.
 *
 * @param matches             accepted matches
 * @param candidatesEvaluated candidates whose deadline passed (matched or not)
 * @param <E>                 event type
 */
public record Advance<E>(List<Match<E>> matches, int candidatesEvaluated) {

    public Advance {
        matches = List.copyOf(matches);
    }
}

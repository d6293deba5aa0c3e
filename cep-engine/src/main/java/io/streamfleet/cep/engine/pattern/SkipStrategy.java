package io.streamfleet.cep.engine.pattern;

/**
 * What a match consumes (Flink CEP's "after match skip strategy"). Consumed events take part in no later match.
 */
public sealed interface SkipStrategy permits SkipStrategy.NoSkip, SkipStrategy.SkipPastLastEvent {

    /** Nothing is consumed: later candidates may reuse the events of a match. */
    static SkipStrategy noSkip() {
        return new NoSkip();
    }

    /** Every event up to and including the last event of the match is consumed: one episode, one match. */
    static SkipStrategy skipPastLastEvent() {
        return new SkipPastLastEvent();
    }

    /** See {@link #noSkip()}. */
    record NoSkip() implements SkipStrategy {
    }

    /** See {@link #skipPastLastEvent()}. */
    record SkipPastLastEvent() implements SkipStrategy {
    }
}

package io.streamfleet.cep.engine.runtime;

/** What {@link Matcher#process} did with an event. */
public enum ProcessOutcome {
    /** Stored: some stage may collect it. */
    RETAINED,
    /** Not relevant to any stage (e.g. FILLED for the burst pattern); never stored. */
    IGNORED,
    /** Not after the last stored event in (time, id) order (a duplicate or an ordering bug upstream); dropped. */
    OUT_OF_ORDER
}

package io.streamfleet.contracts.event;

/** Order side. */
public enum Side {
    BUY,
    SELL
}

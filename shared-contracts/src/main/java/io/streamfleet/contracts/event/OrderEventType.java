package io.streamfleet.contracts.event;

/** Life-cycle step of an order, as reported by the order source. */
public enum OrderEventType {
    CREATED,
    CANCELLED,
    FILLED
}

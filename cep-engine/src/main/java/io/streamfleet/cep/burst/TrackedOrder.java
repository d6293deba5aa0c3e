package io.streamfleet.cep.burst;

import io.streamfleet.cep.engine.pattern.EventOrder;
import io.streamfleet.contracts.event.OrderEvent;

/**
 * An order event as the detector keeps it: the event plus the gateway's ingestion time (propagated to the alert).
 *
 * @param order        the event
 * @param ingestedAtMs gateway ingestion time, epoch ms, or {@link #UNKNOWN_INGESTION}
 */
public record TrackedOrder(OrderEvent order, long ingestedAtMs) {

    public static final long UNKNOWN_INGESTION = -1L;

    /** (eventTimeMs, eventId) order of the detector. */
    public static final EventOrder<TrackedOrder> ORDER =
            new EventOrder<>(o -> o.order().eventTimeMs(), o -> o.order().eventId());

    public static TrackedOrder of(OrderEvent order) {
        return new TrackedOrder(order, UNKNOWN_INGESTION);
    }
}

package io.streamfleet.processor.support;

import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.EngagementEventType;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;

/** Test events with readable defaults. */
public final class Events {

    private Events() {
    }

    public static OrderEvent order(String id, String account, String symbol, OrderEventType type, double price,
                                   long qty, long timeMs) {
        return new OrderEvent(id, account, symbol, type, "o-" + id, Side.BUY, price, qty, timeMs);
    }

    public static OrderEvent created(String id, double price, long timeMs) {
        return order(id, "acc", "SYM", OrderEventType.CREATED, price, 1, timeMs);
    }

    public static OrderEvent cancelled(String id, double price, long timeMs) {
        return order(id, "acc", "SYM", OrderEventType.CANCELLED, price, 1, timeMs);
    }

    public static EngagementEvent view(String id, String user, long timeMs) {
        return new EngagementEvent(id, user, "content-1", EngagementEventType.VIEW_END, timeMs, 1200, true);
    }
}

package io.streamfleet.cep.support;

import io.streamfleet.cep.burst.TrackedOrder;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;

import java.util.ArrayList;
import java.util.List;

/** Builds order streams for tests: one account/symbol per builder, ids in creation order unless given. */
public final class Orders {

    private final String accountId;
    private final String symbol;
    private final List<OrderEvent> events = new ArrayList<>();
    private int sequence;

    private Orders(String accountId, String symbol) {
        this.accountId = accountId;
        this.symbol = symbol;
    }

    public static Orders forKey(String accountId, String symbol) {
        return new Orders(accountId, symbol);
    }

    public static Orders acme() {
        return forKey("acc-1", "ACME");
    }

    public String key() {
        return OrderEvent.keyOf(accountId, symbol);
    }

    public Orders created(long timeMs, double price) {
        return add(OrderEventType.CREATED, timeMs, price);
    }

    public Orders cancelled(long timeMs) {
        return add(OrderEventType.CANCELLED, timeMs, 10.00);
    }

    public Orders filled(long timeMs) {
        return add(OrderEventType.FILLED, timeMs, 10.00);
    }

    /** {@code count} creates at {@code start}, {@code start + step}, …, cycling over {@code prices}. */
    public Orders creates(int count, long start, long step, double... prices) {
        for (int i = 0; i < count; i++) {
            created(start + i * step, prices[i % prices.length]);
        }
        return this;
    }

    public Orders cancels(int count, long start, long step) {
        for (int i = 0; i < count; i++) {
            cancelled(start + i * step);
        }
        return this;
    }

    public Orders event(String eventId, OrderEventType type, long timeMs, double price) {
        events.add(new OrderEvent(eventId, accountId, symbol, type, null, Side.BUY, price, 1, timeMs));
        return this;
    }

    private Orders add(OrderEventType type, long timeMs, double price) {
        String id = String.format("%s-%s-%05d", accountId, symbol, sequence++);
        events.add(new OrderEvent(id, accountId, symbol, type, "o-" + sequence, Side.BUY, price, 1, timeMs));
        return this;
    }

    public List<OrderEvent> build() {
        return List.copyOf(events);
    }

    public List<TrackedOrder> tracked() {
        return events.stream().map(TrackedOrder::of).toList();
    }
}

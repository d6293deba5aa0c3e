package io.streamfleet.cep.operator;

import io.streamfleet.cep.burst.TrackedOrder;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;


/** Compact binary form of a {@link TrackedOrder} inside the detector's stores (JSON would cost 3–4× the bytes). */
final class OrderCodec {

    private static final OrderEventType[] TYPES = OrderEventType.values();
    private static final Side[] SIDES = Side.values();

    private OrderCodec() {
    }

    static void write(StoreBytes.Writer out, TrackedOrder tracked) {
        OrderEvent o = tracked.order();
        out.writeUTF(o.eventId());
        out.writeUTF(o.accountId());
        out.writeUTF(o.symbol());
        out.writeByte(o.eventType().ordinal());
        out.writeUTF(o.orderId() == null ? "" : o.orderId());
        out.writeByte(o.side() == null ? -1 : o.side().ordinal());
        out.writeDouble(o.price());
        out.writeLong(o.qty());
        out.writeLong(o.eventTimeMs());
        out.writeLong(tracked.ingestedAtMs());
    }

    static TrackedOrder read(StoreBytes.Reader in) {
        String eventId = in.readUTF();
        String accountId = in.readUTF();
        String symbol = in.readUTF();
        OrderEventType type = TYPES[in.readByte()];
        String orderId = in.readUTF();
        int side = in.readByte();
        double price = in.readDouble();
        long qty = in.readLong();
        long eventTimeMs = in.readLong();
        long ingestedAtMs = in.readLong();
        OrderEvent order = new OrderEvent(eventId, accountId, symbol, type, orderId.isEmpty() ? null : orderId,
                side < 0 ? null : SIDES[side], price, qty, eventTimeMs);
        return new TrackedOrder(order, ingestedAtMs);
    }
}

package io.streamfleet.contracts.event;

import io.streamfleet.contracts.validation.FieldChecks;
import io.streamfleet.contracts.validation.FieldError;
import io.streamfleet.contracts.validation.Validatable;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One order life-cycle event (docs/contracts.md#order-events). Keyed on Kafka by {@link #key()} =
 * {@code accountId|symbol}.
 *
 * @param eventId     unique per event, 1–128 characters; the deduplication key
 * @param accountId   1–64 characters
 * @param symbol      1–32 characters of {@code [A-Za-z0-9._-]}
 * @param eventType   CREATED, CANCELLED or FILLED
 * @param orderId     optional
 * @param side        optional
 * @param price       finite and greater than 0
 * @param qty         greater than 0
 * @param eventTimeMs event time, epoch milliseconds
 */
public record OrderEvent(
        String eventId,
        String accountId,
        String symbol,
        OrderEventType eventType,
        String orderId,
        Side side,
        double price,
        long qty,
        long eventTimeMs) implements Validatable {

    public static final int MAX_EVENT_ID = 128;
    public static final int MAX_ACCOUNT_ID = 64;
    public static final int MAX_SYMBOL = 32;
    public static final int MAX_ORDER_ID = 128;
    private static final Pattern SYMBOL = Pattern.compile("[A-Za-z0-9._-]+");

    /** Kafka record key: orders are partitioned per account and symbol. */
    public String key() {
        return keyOf(accountId, symbol);
    }

    public static String keyOf(String accountId, String symbol) {
        return accountId + "|" + symbol;
    }

    public OrderEvent withEventTimeMs(long newEventTimeMs) {
        return new OrderEvent(eventId, accountId, symbol, eventType, orderId, side, price, qty, newEventTimeMs);
    }

    public OrderEvent withEventId(String newEventId) {
        return new OrderEvent(newEventId, accountId, symbol, eventType, orderId, side, price, qty, eventTimeMs);
    }

    @Override
    public List<FieldError> violations() {
        return new FieldChecks()
                .text("eventId", eventId, 1, MAX_EVENT_ID)
                .text("accountId", accountId, 1, MAX_ACCOUNT_ID)
                .text("symbol", symbol, 1, MAX_SYMBOL)
                .matches("symbol", symbol, SYMBOL, "[A-Za-z0-9._-]")
                .required("eventType", eventType)
                .optionalText("orderId", orderId, MAX_ORDER_ID)
                .positiveFinite("price", price)
                .positive("qty", qty)
                .nonNegative("eventTimeMs", eventTimeMs)
                .errors();
    }
}

package io.streamfleet.gateway.intake;

import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.EngagementEventType;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;
import io.streamfleet.contracts.json.JsonTokens;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The fast path of the intake: reads one event object from Jackson's token stream, without building a tree, binding
 * through databind or running the shape check, and answers only for events it fully recognises <em>and</em> finds
 * valid. Recognised means: a JSON object whose properties are all fields of its kind (plus {@code kind}), each at most
 * once, each with the JSON type the tree path binds without coercion (strings as strings, enum values spelt exactly,
 * integers within a long, a finite {@code price} of any JSON number, {@code true}/{@code false}; optional fields
 * may be null). Valid means what the tree path checks: the kind rules of {@link EventIntake}, the record's own
 * {@code violations()}, and the future-timestamp limit. For such an event it returns the same
 * {@link IntakeItem.Valid} the tree path gives (same key, eventId, kind, time; the payload is written by the caller
 * from the same record). Everything else (an unknown property, a type databind would coerce or reject, a rule broken,
 * an unknown kind) returns null and the caller judges the element with the tree path, so every rejection keeps its
 * exact reason and errors. {@code StreamingEventsTest} checks both paths agree on generated events.
 */
final class StreamingEvents {

    private static final int KIND = 0;
    private static final int EVENT_ID = 1;
    private static final int EVENT_TYPE = 2;
    private static final int EVENT_TIME = 3;
    private static final int ACCOUNT_ID = 4;
    private static final int SYMBOL = 5;
    private static final int ORDER_ID = 6;
    private static final int SIDE = 7;
    private static final int PRICE = 8;
    private static final int QTY = 9;
    private static final int USER_ID = 10;
    private static final int CONTENT_ID = 11;
    private static final int DWELL = 12;
    private static final int COMPLETED = 13;

    private static final int COMMON = 1 << KIND | 1 << EVENT_ID | 1 << EVENT_TYPE | 1 << EVENT_TIME;
    private static final int ORDER_FIELDS = COMMON | 1 << ACCOUNT_ID | 1 << SYMBOL | 1 << ORDER_ID | 1 << SIDE
            | 1 << PRICE | 1 << QTY;
    private static final int ORDER_REQUIRED = 1 << EVENT_ID | 1 << EVENT_TYPE | 1 << EVENT_TIME | 1 << ACCOUNT_ID
            | 1 << SYMBOL | 1 << PRICE | 1 << QTY;
    private static final int ENGAGEMENT_FIELDS = COMMON | 1 << USER_ID | 1 << CONTENT_ID | 1 << DWELL
            | 1 << COMPLETED;
    private static final int ENGAGEMENT_REQUIRED = 1 << EVENT_ID | 1 << EVENT_TYPE | 1 << EVENT_TIME | 1 << USER_ID
            | 1 << CONTENT_ID;

    private StreamingEvents() {
    }

    /** A valid event the fast path recognised: the record (OrderEvent or EngagementEvent) and its kind. */
    record Event(EventKind kind, Object event, String eventId, String key, long eventTimeMs) {
    }

    /**
     * Reads the object the parser stands on ({@link JsonToken#START_OBJECT}) up to and including its
     * {@link JsonToken#END_OBJECT}, always, so the caller can go on with the next element.
     *
     * @return the valid event, or null when the tree path must judge this element
     */
    static Event read(JsonParser p, EventKind fixedKind, long latestEventTimeMs) {
        String kindName = null;
        String eventId = null;
        String eventType = null;
        String accountId = null;
        String symbol = null;
        String orderId = null;
        String side = null;
        String userId = null;
        String contentId = null;
        double price = 0;
        long qty = 0;
        long eventTime = 0;
        long dwell = 0;
        boolean completed = false;
        int seen = 0;
        boolean recognised = true;
        JsonToken token;
        while ((token = p.nextToken()) == JsonToken.PROPERTY_NAME) {
            int field = field(p.currentName());
            JsonToken value = p.nextToken();
            if (!recognised || field < 0 || (seen & 1 << field) != 0) {
                recognised = false;
                p.skipChildren();
                continue;
            }
            seen |= 1 << field;
            boolean ok = true;
            if (value == JsonToken.VALUE_NULL) {
                // null is as absent for the optional fields (and kind); a required field must not be null
                seen &= ~(1 << field);
                ok = field == KIND || field == ORDER_ID || field == SIDE || field == DWELL || field == COMPLETED;
            } else if (stringField(field)) {
                ok = value == JsonToken.VALUE_STRING;
                String text = ok ? p.getString() : null;
                switch (field) {
                    case KIND -> kindName = text;
                    case EVENT_ID -> eventId = text;
                    case EVENT_TYPE -> eventType = text;
                    case ACCOUNT_ID -> accountId = text;
                    case SYMBOL -> symbol = text;
                    case ORDER_ID -> orderId = text;
                    case SIDE -> side = text;
                    case USER_ID -> userId = text;
                    default -> contentId = text; // CONTENT_ID
                }
            } else {
                switch (field) {
                    case PRICE -> {
                        ok = value == JsonToken.VALUE_NUMBER_FLOAT || JsonTokens.isLong(p, value);
                        if (ok) {
                            price = value == JsonToken.VALUE_NUMBER_FLOAT ? p.getDoubleValue() : p.getLongValue();
                            ok = Double.isFinite(price);
                        }
                    }
                    case QTY -> {
                        ok = JsonTokens.isLong(p, value);
                        qty = ok ? p.getLongValue() : 0;
                    }
                    case EVENT_TIME -> {
                        ok = JsonTokens.isLong(p, value);
                        eventTime = ok ? p.getLongValue() : 0;
                    }
                    case DWELL -> {
                        ok = JsonTokens.isLong(p, value);
                        dwell = ok ? p.getLongValue() : 0;
                    }
                    default -> { // COMPLETED
                        ok = value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE;
                        completed = value == JsonToken.VALUE_TRUE;
                    }
                }
            }
            if (!ok) {
                recognised = false;
                p.skipChildren();
            }
        }
        if (token != JsonToken.END_OBJECT || !recognised) {
            return null;
        }
        EventKind kind = fixedKind;
        if (kindName != null) {
            EventKind named = EventKind.fromWire(kindName).orElse(null);
            if (named == null || fixedKind != null && named != fixedKind) {
                return null;
            }
            kind = named;
        }
        if (kind == null || eventTime > latestEventTimeMs) {
            return null;
        }
        if (kind == EventKind.ORDER) {
            if ((seen & ~ORDER_FIELDS) != 0 || (seen & ORDER_REQUIRED) != ORDER_REQUIRED) {
                return null;
            }
            OrderEventType type = OrderEventType.ofExactName(eventType);
            Side sideValue = Side.ofExactName(side);
            if (type == null || side != null && sideValue == null) {
                return null;
            }
            OrderEvent order = new OrderEvent(eventId, accountId, symbol, type, orderId, sideValue, price, qty,
                    eventTime);
            return order.violations().isEmpty()
                    ? new Event(kind, order, eventId, order.key(), eventTime)
                    : null;
        }
        if ((seen & ~ENGAGEMENT_FIELDS) != 0 || (seen & ENGAGEMENT_REQUIRED) != ENGAGEMENT_REQUIRED) {
            return null;
        }
        EngagementEventType type = EngagementEventType.ofWireName(eventType);
        if (type == null) {
            return null;
        }
        EngagementEvent engagement = new EngagementEvent(eventId, userId, contentId, type, eventTime, dwell,
                completed);
        return engagement.violations().isEmpty()
                ? new Event(kind, engagement, eventId, engagement.key(), eventTime)
                : null;
    }

    private static boolean stringField(int field) {
        return field != PRICE && field != QTY && field != EVENT_TIME && field != DWELL && field != COMPLETED;
    }

    private static int field(String name) {
        return switch (name) {
            case "kind" -> KIND;
            case "eventId" -> EVENT_ID;
            case "eventType" -> EVENT_TYPE;
            case "eventTimeMs" -> EVENT_TIME;
            case "accountId" -> ACCOUNT_ID;
            case "symbol" -> SYMBOL;
            case "orderId" -> ORDER_ID;
            case "side" -> SIDE;
            case "price" -> PRICE;
            case "qty" -> QTY;
            case "userId" -> USER_ID;
            case "contentId" -> CONTENT_ID;
            case "dwellMs" -> DWELL;
            case "completed" -> COMPLETED;
            default -> -1;
        };
    }
}

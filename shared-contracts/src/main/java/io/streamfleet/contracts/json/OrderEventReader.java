package io.streamfleet.contracts.json;

import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;
import org.apache.kafka.common.serialization.Deserializer;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads order events ({@code orders.raw} in stream-processor, {@code orders.clean} in cep-detector) with Jackson's
 * token stream instead of databind (a fifth of stream-processor's and a tenth of cep-detector's stream thread went to
 * binding the record through its creator). It only answers documents it fully recognises, and
 * gives databind's result for them: one JSON object whose fields are the order's, each with the JSON type databind
 * binds without coercion (strings as strings, enum names spelt exactly, {@code qty} and {@code eventTimeMs} as
 * integers within a long, {@code price} as any JSON number), {@code orderId} and {@code side} absent or null, other
 * fields skipped (the contract ignores unknown fields), nothing after the object. Anything else — a missing or
 * repeated field, a coercion, malformed JSON, a limit of the contract mapper exceeded — goes to the contract serde's
 * own deserializer, so odd and bad documents get exactly its result or its error. {@code OrderEventReaderTest}
 * checks both against the contract serde for generated documents.
 */
public final class OrderEventReader implements Deserializer<OrderEvent> {

    private static final int EVENT_ID = 0;
    private static final int ACCOUNT_ID = 1;
    private static final int SYMBOL = 2;
    private static final int EVENT_TYPE = 3;
    private static final int ORDER_ID = 4;
    private static final int SIDE = 5;
    private static final int PRICE = 6;
    private static final int QTY = 7;
    private static final int EVENT_TIME = 8;
    /** Fields that must be present for the fast path: all but orderId and side. */
    private static final int REQUIRED = (1 << 9) - 1 & ~(1 << ORDER_ID) & ~(1 << SIDE);

    private final JsonMapper mapper;
    private final Deserializer<OrderEvent> fallback;
    private final Runnable onFallback;

    /** With the contract's own mapper and serde; {@code onFallback} counts the documents left to the serde. */
    public OrderEventReader(Runnable onFallback) {
        this(ContractMapper.shared(), new ContractSerde<>(OrderEvent.class).deserializer(), onFallback);
    }

    public OrderEventReader() {
        this(() -> {
        });
    }

    /**
     * @param mapper   the mapper of the contract serde (same parser limits)
     * @param fallback the contract serde's deserializer, for every document this reader does not recognise
     * @param onFallback called once per document handed to {@code fallback} (a metric)
     */
    OrderEventReader(JsonMapper mapper, Deserializer<OrderEvent> fallback, Runnable onFallback) {
        this.mapper = mapper;
        this.fallback = fallback;
        this.onFallback = onFallback;
    }

    @Override
    public OrderEvent deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        OrderEvent event;
        try {
            event = read(data);
        } catch (JacksonException e) {
            event = null; // malformed or over a limit: the contract serde reports it in its own words
        }
        if (event != null) {
            return event;
        }
        onFallback.run();
        return fallback.deserialize(topic, data);
    }

    /** The event, or null when the document is not one this reader answers. */
    private OrderEvent read(byte[] data) {
        try (JsonParser p = mapper.createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String eventId = null;
            String accountId = null;
            String symbol = null;
            OrderEventType eventType = null;
            String orderId = null;
            Side side = null;
            double price = 0;
            long qty = 0;
            long eventTime = 0;
            int seen = 0;
            JsonToken token;
            while ((token = p.nextToken()) == JsonToken.PROPERTY_NAME) {
                int field = field(p.currentName());
                JsonToken value = p.nextToken();
                if (field < 0) {
                    p.skipChildren();
                    continue;
                }
                if ((seen & 1 << field) != 0) {
                    return null;
                }
                if (field <= SYMBOL && value != JsonToken.VALUE_STRING) {
                    return null;
                }
                seen |= 1 << field;
                switch (field) {
                    case EVENT_ID -> eventId = string(p, value);
                    case ACCOUNT_ID -> accountId = string(p, value);
                    case SYMBOL -> symbol = string(p, value);
                    case EVENT_TYPE -> {
                        eventType = value == JsonToken.VALUE_STRING ? OrderEventType.ofExactName(p.getString()) : null;
                        if (eventType == null) {
                            return null;
                        }
                    }
                    case ORDER_ID -> {
                        if (value != JsonToken.VALUE_NULL) {
                            orderId = string(p, value);
                            if (orderId == null) {
                                return null;
                            }
                        }
                    }
                    case SIDE -> {
                        if (value != JsonToken.VALUE_NULL) {
                            side = value == JsonToken.VALUE_STRING ? Side.ofExactName(p.getString()) : null;
                            if (side == null) {
                                return null;
                            }
                        }
                    }
                    case PRICE -> {
                        if (value != JsonToken.VALUE_NUMBER_FLOAT && !JsonTokens.isLong(p, value)) {
                            return null;
                        }
                        price = p.getDoubleValue();
                    }
                    case QTY -> {
                        if (!JsonTokens.isLong(p, value)) {
                            return null;
                        }
                        qty = p.getLongValue();
                    }
                    default -> {
                        if (!JsonTokens.isLong(p, value)) {
                            return null;
                        }
                        eventTime = p.getLongValue();
                    }
                }
            }
            if (token != JsonToken.END_OBJECT || p.nextToken() != null || (seen & REQUIRED) != REQUIRED
                    || eventId == null || accountId == null || symbol == null || eventType == null) {
                return null;
            }
            return new OrderEvent(eventId, accountId, symbol, eventType, orderId, side, price, qty, eventTime);
        }
    }

    private static int field(String name) {
        return switch (name) {
            case "eventId" -> EVENT_ID;
            case "accountId" -> ACCOUNT_ID;
            case "symbol" -> SYMBOL;
            case "eventType" -> EVENT_TYPE;
            case "orderId" -> ORDER_ID;
            case "side" -> SIDE;
            case "price" -> PRICE;
            case "qty" -> QTY;
            case "eventTimeMs" -> EVENT_TIME;
            default -> -1;
        };
    }

    /** The string value, or null for any other token (databind would coerce it: not this reader's case). */
    private static String string(JsonParser p, JsonToken value) {
        return value == JsonToken.VALUE_STRING ? p.getString() : null;
    }


}

package io.streamfleet.cep.topology;

import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;
import io.streamfleet.contracts.json.ContractMapper;
import io.streamfleet.contracts.topic.Topics;
import org.apache.kafka.common.serialization.Deserializer;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads {@code orders.clean} values with one streaming pass over the contract's usual shape — every field present
 * once, strings as strings, numbers as integers (a price also as a decimal), enums by name, {@code orderId}/{@code side}
 * possibly null — instead of Jackson databind's bean deserializer, which was 11% of the stream thread's samples
 * (docs/cep-detector.md, "Per-record cost"). Anything else (a missing, repeated or unknown field, another token type,
 * an unknown enum name, malformed JSON) is handed to the contract serde itself, so what it accepts, coerces or rejects
 * — and the error it reports — is exactly the contract's. Same mapper, same read constraints.
 */
public final class OrderEventReader implements Deserializer<OrderEvent> {

    private static final int FIELDS = 9;
    private static final int ALL = (1 << FIELDS) - 1;
    private static final OrderEventType[] TYPES = OrderEventType.values();
    private static final Side[] SIDES = Side.values();

    private final JsonMapper mapper = ContractMapper.shared();
    private final Deserializer<OrderEvent> contract = Topics.ORDER_EVENT_SERDE.deserializer();

    @Override
    public OrderEvent deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        OrderEvent event = fast(data);
        return event != null ? event : contract.deserialize(topic, data);
    }

    /** The event, or null when the input is not of the usual shape. */
    private OrderEvent fast(byte[] data) {
        try (JsonParser p = mapper.createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String eventId = null;
            String accountId = null;
            String symbol = null;
            OrderEventType type = null;
            String orderId = null;
            Side side = null;
            double price = 0;
            long qty = 0;
            long eventTimeMs = 0;
            int seen = 0;
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken token = p.nextToken();
                int bit;
                switch (name) {
                    case "eventId" -> {
                        bit = 0;
                        eventId = string(p, token);
                        if (eventId == null) {
                            return null;
                        }
                    }
                    case "accountId" -> {
                        bit = 1;
                        accountId = string(p, token);
                        if (accountId == null) {
                            return null;
                        }
                    }
                    case "symbol" -> {
                        bit = 2;
                        symbol = string(p, token);
                        if (symbol == null) {
                            return null;
                        }
                    }
                    case "eventType" -> {
                        bit = 3;
                        type = token == JsonToken.VALUE_STRING ? eventType(p.getString()) : null;
                        if (type == null) {
                            return null;
                        }
                    }
                    case "orderId" -> {
                        bit = 4;
                        if (token == JsonToken.VALUE_STRING) {
                            orderId = p.getString();
                        } else if (token != JsonToken.VALUE_NULL) {
                            return null;
                        }
                    }
                    case "side" -> {
                        bit = 5;
                        if (token == JsonToken.VALUE_STRING) {
                            side = side(p.getString());
                            if (side == null) {
                                return null;
                            }
                        } else if (token != JsonToken.VALUE_NULL) {
                            return null;
                        }
                    }
                    case "price" -> {
                        bit = 6;
                        if (token == JsonToken.VALUE_NUMBER_FLOAT || isLong(p, token)) {
                            price = p.getDoubleValue();
                        } else {
                            return null;
                        }
                    }
                    case "qty" -> {
                        bit = 7;
                        if (!isLong(p, token)) {
                            return null;
                        }
                        qty = p.getLongValue();
                    }
                    case "eventTimeMs" -> {
                        bit = 8;
                        if (!isLong(p, token)) {
                            return null;
                        }
                        eventTimeMs = p.getLongValue();
                    }
                    default -> {
                        return null;
                    }
                }
                if ((seen & (1 << bit)) != 0) {
                    return null;
                }
                seen |= 1 << bit;
            }
            // trailing content after the object is an error of the contract's mapper
            if (seen != ALL || p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null;
            }
            return new OrderEvent(eventId, accountId, symbol, type, orderId, side, price, qty, eventTimeMs);
        } catch (RuntimeException e) { // JacksonException included: malformed input is the contract's to report
            return null;
        }
    }

    /** A string value; null for anything else (a JSON null of a required field is left to the contract too). */
    private static String string(JsonParser p, JsonToken token) {
        return token == JsonToken.VALUE_STRING ? p.getString() : null;
    }

    private static boolean isLong(JsonParser p, JsonToken token) {
        if (token != JsonToken.VALUE_NUMBER_INT) {
            return false;
        }
        JsonParser.NumberType type = p.getNumberType();
        return type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG;
    }

    private static OrderEventType eventType(String name) {
        for (OrderEventType type : TYPES) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        return null;
    }

    private static Side side(String name) {
        for (Side side : SIDES) {
            if (side.name().equals(name)) {
                return side;
            }
        }
        return null;
    }
}

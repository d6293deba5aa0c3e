package io.streamfleet.contracts.json;

import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.EngagementEventType;
import org.apache.kafka.common.serialization.Deserializer;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads engagement events ({@code engagement.raw} in stream-processor, {@code engagement.clean} in session-analytics)
 * with one streaming pass over the contract's usual shape — every field present
 * once, ids as strings, the event type by its wire name, times and dwell as integers, {@code completed} as a boolean —
 * instead of Jackson databind's bean deserializer, which was 15% of the stream thread's samples
 * (docs/session-analytics.md, "Per-record cost"). Anything else (a missing, repeated or unknown field, another token
 * type, an unknown type name, malformed JSON) is handed to the contract serde itself, so what it accepts, coerces or
 * rejects — and the error it reports — is exactly the contract's. Same mapper, same read constraints.
 */
public final class EngagementEventReader implements Deserializer<EngagementEvent> {

    private static final int FIELDS = 7;
    private static final int ALL = (1 << FIELDS) - 1;

    private final JsonMapper mapper = ContractMapper.shared();
    private final Deserializer<EngagementEvent> contract = new ContractSerde<>(EngagementEvent.class).deserializer();

    @Override
    public EngagementEvent deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        EngagementEvent event = fast(data);
        return event != null ? event : contract.deserialize(topic, data);
    }

    /** The event, or null when the input is not of the usual shape. */
    private EngagementEvent fast(byte[] data) {
        try (JsonParser p = mapper.createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String eventId = null;
            String userId = null;
            String contentId = null;
            EngagementEventType type = null;
            long eventTimeMs = 0;
            long dwellMs = 0;
            boolean completed = false;
            int seen = 0;
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken token = p.nextToken();
                int bit;
                switch (name) {
                    case "eventId" -> {
                        bit = 0;
                        eventId = string(p, token);
                    }
                    case "userId" -> {
                        bit = 1;
                        userId = string(p, token);
                    }
                    case "contentId" -> {
                        bit = 2;
                        contentId = string(p, token);
                    }
                    case "eventType" -> {
                        bit = 3;
                        type = token == JsonToken.VALUE_STRING ? EngagementEventType.ofWireName(p.getString()) : null;
                        if (type == null) {
                            return null;
                        }
                    }
                    case "eventTimeMs" -> {
                        bit = 4;
                        if (!JsonTokens.isLong(p, token)) {
                            return null;
                        }
                        eventTimeMs = p.getLongValue();
                    }
                    case "dwellMs" -> {
                        bit = 5;
                        if (!JsonTokens.isLong(p, token)) {
                            return null;
                        }
                        dwellMs = p.getLongValue();
                    }
                    case "completed" -> {
                        bit = 6;
                        if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
                            completed = token == JsonToken.VALUE_TRUE;
                        } else {
                            return null;
                        }
                    }
                    default -> {
                        return null;
                    }
                }
                if ((bit <= 2 && token != JsonToken.VALUE_STRING) || (seen & (1 << bit)) != 0) {
                    return null;
                }
                seen |= 1 << bit;
            }
            // trailing content after the object is an error of the contract's mapper
            if (seen != ALL || p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null;
            }
            return new EngagementEvent(eventId, userId, contentId, type, eventTimeMs, dwellMs, completed);
        } catch (RuntimeException e) { // JacksonException included: malformed input is the contract's to report
            return null;
        }
    }

    private static String string(JsonParser p, JsonToken token) {
        return token == JsonToken.VALUE_STRING ? p.getString() : null;
    }
}

package io.streamfleet.contracts.json;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/** Token checks shared by the streaming event readers (the services' wire readers and the gateway's fast path). */
public final class JsonTokens {

    private JsonTokens() {
    }

    /** Whether the current value is a JSON integer that fits a long (what databind binds to a long without coercion). */
    public static boolean isLong(JsonParser p, JsonToken value) {
        if (value != JsonToken.VALUE_NUMBER_INT) {
            return false;
        }
        JsonParser.NumberType type = p.getNumberType();
        return type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG;
    }
}

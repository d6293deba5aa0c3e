package io.streamfleet.contracts.json;

import io.streamfleet.contracts.validation.FieldError;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The JSON shape of a contract: which fields exist, which are required and what JSON type each has. Checked on the
 * tree before binding so that a missing field or a wrong type is reported by field name, never as a parser message.
 */
public record JsonShape(String contract, List<FieldSpec> fields) {

    public JsonShape {
        fields = List.copyOf(fields);
    }

    public List<FieldError> check(JsonNode node) {
        if (node == null || !node.isObject()) {
            return List.of(new FieldError("$", contract + " must be a JSON object"));
        }
        List<FieldError> errors = new ArrayList<>();
        for (FieldSpec field : fields) {
            JsonNode value = node.get(field.name());
            if (value == null || value.isNull()) {
                if (field.required()) {
                    errors.add(new FieldError(field.name(), "is required"));
                }
                continue;
            }
            String typeError = typeError(field, value);
            if (typeError != null) {
                errors.add(new FieldError(field.name(), typeError));
            }
        }
        return errors;
    }

    private static String typeError(FieldSpec field, JsonNode value) {
        switch (field.kind()) {
            case STRING -> {
                if (!value.isString()) {
                    return "must be " + JsonKind.STRING.description() + ", was " + describe(value);
                }
                if (!field.allowed().isEmpty() && !field.allowed().contains(value.asString())) {
                    return "must be one of " + String.join(", ", field.allowed()) + ", was '" + value.asString() + "'";
                }
                return null;
            }
            case INTEGER -> {
                if (!value.isIntegralNumber()) {
                    return "must be " + JsonKind.INTEGER.description() + ", was " + describe(value);
                }
                return value.canConvertToLong() ? null : "is out of range for a 64-bit integer";
            }
            case NUMBER -> {
                if (!value.isNumber()) {
                    return "must be " + JsonKind.NUMBER.description() + ", was " + describe(value);
                }
                return Double.isFinite(value.asDouble()) ? null : "is out of range for a finite number";
            }
            case BOOLEAN -> {
                return value.isBoolean() ? null : "must be " + JsonKind.BOOLEAN.description() + ", was " + describe(value);
            }
            default -> throw new IllegalStateException("unhandled kind " + field.kind());
        }
    }

    private static String describe(JsonNode value) {
        if (value.isString()) {
            return "a string";
        }
        if (value.isIntegralNumber()) {
            return "an integer";
        }
        if (value.isNumber()) {
            return "a decimal number";
        }
        if (value.isBoolean()) {
            return "a boolean";
        }
        if (value.isArray()) {
            return "an array";
        }
        return value.isObject() ? "an object" : value.getNodeType().name().toLowerCase();
    }
}

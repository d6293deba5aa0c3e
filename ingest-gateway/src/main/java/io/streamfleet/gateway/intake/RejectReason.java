package io.streamfleet.gateway.intake;

import io.streamfleet.contracts.validation.FieldError;

/** Why one event was rejected; the metric tag of rejected events. The field errors carry the exact details. */
public enum RejectReason {
    MALFORMED_JSON,
    NON_FINITE_NUMBER,
    TOO_DEEP,
    STRING_TOO_LONG,
    NOT_AN_OBJECT,
    DUPLICATE_FIELD,
    MISSING_KIND,
    UNKNOWN_KIND,
    KIND_MISMATCH,
    MISSING_FIELD,
    WRONG_TYPE,
    INVALID_VALUE,
    FIELD_LENGTH,
    NUMBER_OUT_OF_RANGE,
    FUTURE_TIMESTAMP,
    INVALID_FIELD;

    public String tag() {
        return name().toLowerCase();
    }

    /** Classifies the first error a contract reader reported (its messages follow a fixed vocabulary). */
    public static RejectReason of(FieldError error) {
        String message = error.message();
        if (message.equals("is required")) {
            return MISSING_FIELD;
        }
        if (message.contains("out of range") || message.contains("finite number")) {
            return NUMBER_OUT_OF_RANGE;
        }
        if (message.startsWith("length must be")) {
            return FIELD_LENGTH;
        }
        if (message.startsWith("must be one of") || message.startsWith("must match")) {
            return INVALID_VALUE;
        }
        if (message.startsWith("must be a") || message.startsWith("must be an")) {
            return WRONG_TYPE;
        }
        return INVALID_FIELD;
    }
}

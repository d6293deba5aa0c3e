package io.streamfleet.contracts.validation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Collects field errors while a contract checks its own invariants, so every failing field is reported at once.
 */
public final class FieldChecks {

    private final List<FieldError> errors = new ArrayList<>();

    public FieldChecks text(String field, String value, int minLength, int maxLength) {
        if (value == null) {
            return fail(field, "is required");
        }
        int length = value.codePointCount(0, value.length());
        if (length < minLength || length > maxLength) {
            fail(field, "length must be between " + minLength + " and " + maxLength + " characters, was " + length);
        }
        return this;
    }

    public FieldChecks optionalText(String field, String value, int maxLength) {
        return value == null ? this : text(field, value, 1, maxLength);
    }

    public FieldChecks matches(String field, String value, Pattern pattern, String description) {
        if (value != null && !pattern.matcher(value).matches()) {
            fail(field, "must match " + description);
        }
        return this;
    }

    public FieldChecks required(String field, Object value) {
        return value == null ? fail(field, "is required") : this;
    }

    public FieldChecks positiveFinite(String field, double value) {
        if (!Double.isFinite(value)) {
            return fail(field, "must be a finite number");
        }
        return value > 0 ? this : fail(field, "must be greater than 0, was " + value);
    }

    public FieldChecks nonNegativeFinite(String field, double value) {
        if (!Double.isFinite(value)) {
            return fail(field, "must be a finite number");
        }
        return value >= 0 ? this : fail(field, "must be at least 0, was " + value);
    }

    public FieldChecks positive(String field, long value) {
        return value > 0 ? this : fail(field, "must be greater than 0, was " + value);
    }

    public FieldChecks nonNegative(String field, long value) {
        return value >= 0 ? this : fail(field, "must be at least 0, was " + value);
    }

    public FieldChecks check(boolean condition, String field, String message) {
        return condition ? this : fail(field, message);
    }

    public FieldChecks fail(String field, String message) {
        errors.add(new FieldError(field, message));
        return this;
    }

    public FieldChecks addAll(Collection<FieldError> more) {
        errors.addAll(more);
        return this;
    }

    public List<FieldError> errors() {
        return List.copyOf(errors);
    }
}

package io.streamfleet.contracts.validation;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of validating one contract instance: either a value or the list of field errors, never both.
 *
 * @param <T> the contract type
 */
public record Validated<T>(T value, List<FieldError> errors) {

    public Validated {
        errors = List.copyOf(errors);
        if ((value == null) == errors.isEmpty()) {
            throw new IllegalArgumentException("exactly one of value or errors must be present");
        }
    }

    public static <T> Validated<T> valid(T value) {
        return new Validated<>(Objects.requireNonNull(value), List.of());
    }

    public static <T> Validated<T> invalid(List<FieldError> errors) {
        return new Validated<>(null, errors);
    }

    public boolean isValid() {
        return value != null;
    }
}

package io.streamfleet.contracts.validation;

/**
 * One validation failure, naming the JSON field (a dotted path, e.g. {@code price}) and what is wrong with it.
 */
public record FieldError(String field, String message) {

    @Override
    public String toString() {
        return field + ": " + message;
    }
}

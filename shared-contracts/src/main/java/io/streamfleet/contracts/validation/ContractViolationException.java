package io.streamfleet.contracts.validation;

import java.util.List;

/** Thrown where an invalid contract instance cannot be reported as a {@link Validated} result. */
public class ContractViolationException extends IllegalArgumentException {

    private final transient List<FieldError> errors;

    public ContractViolationException(List<FieldError> errors) {
        super(String.join("; ", errors.stream().map(FieldError::toString).toList()));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}

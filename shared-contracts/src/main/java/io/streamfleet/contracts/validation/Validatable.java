package io.streamfleet.contracts.validation;

import java.util.List;

/**
 * A contract that can check its own invariants (the rules of docs/contracts.md#validation that JSON Schema also
 * states).
 */
public interface Validatable {

    /** Every violated rule, empty when the instance is valid. */
    List<FieldError> violations();
}

package io.streamfleet.contracts.json;

import io.streamfleet.contracts.validation.FieldError;
import io.streamfleet.contracts.validation.Validatable;
import io.streamfleet.contracts.validation.Validated;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads one contract from JSON and validates it completely: shape (presence and JSON types), then binding, then the
 * record's own rules. Every failure names its field.
 *
 * @param <T> the contract type
 */
public final class ContractReader<T extends Validatable> {

    private final Class<T> type;
    private final JsonShape shape;
    private final JsonMapper mapper;

    public ContractReader(Class<T> type, JsonShape shape, JsonMapper mapper) {
        this.type = type;
        this.shape = shape;
        this.mapper = mapper;
    }

    public Class<T> type() {
        return type;
    }

    public JsonShape shape() {
        return shape;
    }

    /** Parses and validates a JSON document holding one contract instance. */
    public Validated<T> read(byte[] json) {
        JsonNode node;
        try {
            node = mapper.readTree(json);
        } catch (JacksonException e) {
            return Validated.invalid(List.of(new FieldError("$", "malformed JSON: " + e.getOriginalMessage())));
        }
        return read(node);
    }

    /** Validates an already parsed JSON tree. */
    public Validated<T> read(JsonNode node) {
        List<FieldError> shapeErrors = shape.check(node);
        if (!shapeErrors.isEmpty()) {
            return Validated.invalid(shapeErrors);
        }
        T value;
        try {
            value = mapper.treeToValue(node, type);
        } catch (DatabindException e) {
            return Validated.invalid(List.of(new FieldError(fieldOf(e), e.getOriginalMessage())));
        } catch (JacksonException | IllegalArgumentException e) {
            return Validated.invalid(List.of(new FieldError("$", e.getMessage())));
        }
        List<FieldError> violations = value.violations();
        return violations.isEmpty() ? Validated.valid(value) : Validated.invalid(new ArrayList<>(violations));
    }

    private static String fieldOf(DatabindException e) {
        String path = e.getPathReference();
        if (path == null || e.getPath().isEmpty()) {
            return "$";
        }
        StringBuilder field = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                field.append('[').append(ref.getIndex()).append(']');
            }
        }
        return field.isEmpty() ? "$" : field.toString();
    }
}

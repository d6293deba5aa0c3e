package io.streamfleet.contracts.json;

import java.util.List;

/**
 * One field of a contract's JSON shape.
 *
 * @param allowed for enumerated strings, the allowed values (empty otherwise)
 */
public record FieldSpec(String name, JsonKind kind, boolean required, List<String> allowed) {

    public FieldSpec {
        allowed = List.copyOf(allowed);
    }

    public static FieldSpec required(String name, JsonKind kind) {
        return new FieldSpec(name, kind, true, List.of());
    }

    public static FieldSpec optional(String name, JsonKind kind) {
        return new FieldSpec(name, kind, false, List.of());
    }

    public static FieldSpec requiredOneOf(String name, List<String> allowed) {
        return new FieldSpec(name, JsonKind.STRING, true, allowed);
    }

    public static FieldSpec optionalOneOf(String name, List<String> allowed) {
        return new FieldSpec(name, JsonKind.STRING, false, allowed);
    }
}

package io.streamfleet.contracts.json;

/** The JSON type a contract field must have. */
public enum JsonKind {
    STRING("a string"),
    INTEGER("an integer"),
    NUMBER("a number"),
    BOOLEAN("a boolean");

    private final String description;

    JsonKind(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}

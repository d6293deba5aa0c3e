package io.streamfleet.contracts.event;

/** Life-cycle step of an order, as reported by the order source. */
public enum OrderEventType {
    CREATED,
    CANCELLED,
    FILLED;

    /**
     * The type spelt exactly as on the wire (no case folding, no trimming), or null for anything else; for the
     * streaming order readers, which hand what they do not recognise to the contract serde for its own error.
     */
    public static OrderEventType ofExactName(String name) {
        if (name == null) {
            return null;
        }
        return switch (name) {
            case "CREATED" -> CREATED;
            case "CANCELLED" -> CANCELLED;
            case "FILLED" -> FILLED;
            default -> null;
        };
    }
}

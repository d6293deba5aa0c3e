package io.streamfleet.contracts.event;

/** Order side. */
public enum Side {
    BUY,
    SELL;

    /** The side spelt exactly as on the wire, or null for anything else (see {@link OrderEventType#ofExactName}). */
    public static Side ofExactName(String name) {
        if (name == null) {
            return null;
        }
        return switch (name) {
            case "BUY" -> BUY;
            case "SELL" -> SELL;
            default -> null;
        };
    }
}

package io.streamfleet.gateway.intake;

import java.util.Optional;

/** The two event families the gateway accepts; the wire name is the value of an event's {@code kind} field. */
public enum EventKind {
    ORDER("order"),
    ENGAGEMENT("engagement");

    private final String wireName;

    EventKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<EventKind> fromWire(String name) {
        for (EventKind kind : values()) {
            if (kind.wireName.equals(name)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}

package io.streamfleet.contracts.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Kind of user interaction; written in lower snake case on the wire. */
public enum EngagementEventType {
    VIEW_START("view_start"),
    VIEW_END("view_end"),
    SCROLL("scroll"),
    CLICK("click");

    private final String wireName;

    EngagementEventType(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    private static final EngagementEventType[] TYPES = values();

    /** The type with exactly this wire name, or null (also for null): for readers that fall back on their own. */
    public static EngagementEventType ofWireName(String name) {
        for (EngagementEventType type : TYPES) {
            if (type.wireName.equals(name)) {
                return type;
            }
        }
        return null;
    }

    /** Parses the wire name; unknown names are rejected with the list of allowed ones. */
    @JsonCreator
    public static EngagementEventType fromWire(String name) {
        EngagementEventType type = ofWireName(name);
        if (type != null) {
            return type;
        }
        throw new IllegalArgumentException("unknown engagement eventType '" + name
                + "', expected one of view_start, view_end, scroll, click");
    }
}

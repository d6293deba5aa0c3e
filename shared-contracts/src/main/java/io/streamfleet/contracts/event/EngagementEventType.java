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

    /** Parses the wire name; unknown names are rejected with the list of allowed ones. */
    @JsonCreator
    public static EngagementEventType fromWire(String name) {
        for (EngagementEventType type : values()) {
            if (type.wireName.equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown engagement eventType '" + name
                + "', expected one of view_start, view_end, scroll, click");
    }
}

package io.streamfleet.session.support;

import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.EngagementEventType;

import java.util.concurrent.atomic.AtomicLong;

/** Builders of engagement events for tests. */
public final class Engagement {

    private static final AtomicLong IDS = new AtomicLong();

    private Engagement() {
    }

    public static EngagementEvent viewEnd(String user, long timeMs, long dwellMs, boolean completed) {
        return event(user, EngagementEventType.VIEW_END, timeMs, dwellMs, completed);
    }

    public static EngagementEvent viewStart(String user, long timeMs) {
        return event(user, EngagementEventType.VIEW_START, timeMs, 0, false);
    }

    public static EngagementEvent click(String user, long timeMs) {
        return event(user, EngagementEventType.CLICK, timeMs, 0, false);
    }

    public static EngagementEvent scroll(String user, long timeMs) {
        return event(user, EngagementEventType.SCROLL, timeMs, 0, false);
    }

    public static EngagementEvent event(String user, EngagementEventType type, long timeMs, long dwellMs,
                                        boolean completed) {
        return new EngagementEvent("ev-" + IDS.incrementAndGet(), user, "content-1", type, timeMs, dwellMs, completed);
    }
}

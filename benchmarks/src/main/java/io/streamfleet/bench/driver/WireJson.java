package io.streamfleet.bench.driver;

import io.streamfleet.bench.scenario.BenchEvent;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.OrderEvent;

import java.util.List;

/**
 * Events as the gateway takes them (docs/contracts.md), written by hand: the load generator must not spend the CPU the
 * fleet under test needs. Ids and names come from the generator and hold no characters that need escaping; anything
 * else is escaped anyway.
 */
public final class WireJson {

    private WireJson() {
    }

    /** A JSON array of events, each with its {@code kind}, for {@code POST /v1/events}. */
    public static String array(List<BenchEvent> events) {
        StringBuilder sb = new StringBuilder(events.size() * 220).append('[');
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            append(sb, events.get(i), true);
        }
        return sb.append(']').toString();
    }

    /** NDJSON: one event per line, each with its {@code kind} (a WebSocket message of several events). */
    public static String ndjson(List<BenchEvent> events) {
        StringBuilder sb = new StringBuilder(events.size() * 220);
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                sb.append('\n');
            }
            append(sb, events.get(i), true);
        }
        return sb.toString();
    }

    /** One event; with {@code kind} when it is posted to the generic endpoint or sent over WebSocket. */
    public static String event(BenchEvent event, boolean withKind) {
        StringBuilder sb = new StringBuilder(240);
        append(sb, event, withKind);
        return sb.toString();
    }

    static void append(StringBuilder sb, BenchEvent event, boolean withKind) {
        if (event.isOrder()) {
            order(sb, event.order(), withKind);
        } else {
            engagement(sb, event.engagement(), withKind);
        }
    }

    private static void order(StringBuilder sb, OrderEvent e, boolean withKind) {
        sb.append('{');
        if (withKind) {
            sb.append("\"kind\":\"order\",");
        }
        field(sb, "eventId", e.eventId()).append(',');
        field(sb, "accountId", e.accountId()).append(',');
        field(sb, "symbol", e.symbol()).append(',');
        field(sb, "eventType", e.eventType().name()).append(',');
        if (e.orderId() != null) {
            field(sb, "orderId", e.orderId()).append(',');
        }
        if (e.side() != null) {
            field(sb, "side", e.side().name()).append(',');
        }
        sb.append("\"price\":").append(e.price()).append(",\"qty\":").append(e.qty())
                .append(",\"eventTimeMs\":").append(e.eventTimeMs()).append('}');
    }

    private static void engagement(StringBuilder sb, EngagementEvent e, boolean withKind) {
        sb.append('{');
        if (withKind) {
            sb.append("\"kind\":\"engagement\",");
        }
        field(sb, "eventId", e.eventId()).append(',');
        field(sb, "userId", e.userId()).append(',');
        field(sb, "contentId", e.contentId()).append(',');
        field(sb, "eventType", e.eventType().wireName()).append(',');
        sb.append("\"eventTimeMs\":").append(e.eventTimeMs()).append(",\"dwellMs\":").append(e.dwellMs())
                .append(",\"completed\":").append(e.completed()).append('}');
    }

    private static StringBuilder field(StringBuilder sb, String name, String value) {
        sb.append('"').append(name).append("\":\"");
        if (plain(value)) {
            // the generator's ids and names: one bulk copy instead of a bounds-checked append per character, which was
            // the driver's largest self frame at 16 000 events/s (JFR, 2026-12-06)
            return sb.append(value).append('"');
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"');
    }

    private static boolean plain(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20) {
                return false;
            }
        }
        return true;
    }
}

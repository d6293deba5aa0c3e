package io.streamfleet.bench.sse;

import java.util.Optional;

/**
 * Server-sent events framing (WHATWG): {@code id:}, {@code event:}, {@code data:} lines (data lines joined with a
 * newline), comments start with {@code :}, a blank line dispatches. Not thread-safe: one per connection.
 */
public final class SseParser {

    /** One dispatched event. {@code id} is the last id seen on the stream (it persists across events). */
    public record SseEvent(String id, String event, String data) {
    }

    private final StringBuilder data = new StringBuilder();
    private String event = "message";
    private String lastId;
    private boolean hasData;

    public Optional<SseEvent> line(String line) {
        if (line.isEmpty()) {
            Optional<SseEvent> out = hasData ? Optional.of(new SseEvent(lastId, event, data.toString()))
                    : Optional.empty();
            data.setLength(0);
            hasData = false;
            event = "message";
            return out;
        }
        if (line.startsWith(":")) {
            return Optional.empty();
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data" -> {
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            }
            case "event" -> event = value;
            case "id" -> {
                if (!value.contains("\0")) {
                    lastId = value;
                }
            }
            default -> {
                // retry and unknown fields do not matter here
            }
        }
        return Optional.empty();
    }

    public String lastId() {
        return lastId;
    }
}

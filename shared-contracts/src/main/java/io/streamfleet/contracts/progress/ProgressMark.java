package io.streamfleet.contracts.progress;

import java.util.Objects;

/**
 * One progress record: a statement, written into a partition in order with its data, that time has advanced. See
 * {@link ProgressRecords} for the wire format and docs/event-time.md for the rules that consume it.
 *
 * @param source who wrote it: a gateway instance id, or a stage name (1–128 characters, no control characters)
 * @param kind   what {@code timeMs} means
 * @param timeMs epoch milliseconds: the writer's clock ({@link ProgressKind#CLOCK}, {@link ProgressKind#LEAVING}) or
 *               the stage's stream time ({@link ProgressKind#STREAM_TIME})
 */
public record ProgressMark(String source, ProgressKind kind, long timeMs) {

    public static final int MAX_SOURCE_LENGTH = 128;

    public ProgressMark {
        Objects.requireNonNull(kind, "kind");
        if (source == null || source.isEmpty() || source.length() > MAX_SOURCE_LENGTH) {
            throw new IllegalArgumentException("progress source must be 1-" + MAX_SOURCE_LENGTH
                    + " characters, was " + (source == null ? "null" : "'" + source + "'"));
        }
        if (source.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("progress source must not contain control characters");
        }
        if (timeMs < 0) {
            throw new IllegalArgumentException("progress time must be >= 0 epoch ms, was " + timeMs);
        }
    }

    public static ProgressMark clock(String source, long clockMs) {
        return new ProgressMark(source, ProgressKind.CLOCK, clockMs);
    }

    public static ProgressMark leaving(String source, long clockMs) {
        return new ProgressMark(source, ProgressKind.LEAVING, clockMs);
    }

    public static ProgressMark streamTime(String source, long streamTimeMs) {
        return new ProgressMark(source, ProgressKind.STREAM_TIME, streamTimeMs);
    }
}

package io.streamfleet.contracts.progress;

import java.util.Locale;

/** What the time of a {@link ProgressMark} means. Written on the wire in lower case with dashes. */
public enum ProgressKind {

    /** A producer's clock: every record it wrote to the partition before this mark is in the log before it. */
    CLOCK,
    /** Like {@link #CLOCK}, and the producer stops writing: it no longer holds the partition's time back. */
    LEAVING,
    /** A processing stage's stream time for the partition: its data up to that event time is in the log before it. */
    STREAM_TIME;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses a wire name; throws {@link IllegalArgumentException} naming the accepted values. */
    public static ProgressKind fromWire(String text) {
        for (ProgressKind kind : values()) {
            if (kind.wireName().equals(text)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown progress kind '" + text + "' (expected clock, leaving or "
                + "stream-time)");
    }
}

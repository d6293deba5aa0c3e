package io.streamfleet.support.progress;

import java.time.Duration;

/**
 * How progress records move a partition's time (docs/event-time.md).
 *
 * @param idleTimeout    producer-clock silence after the last data record before progress marks advance stream time
 * @param silenceTimeout a producer whose marks trail the newest mark of the partition by more than this stops
 *                       holding time back (it crashed or was removed without its {@code leaving} mark)
 */
public record ProgressRules(Duration idleTimeout, Duration silenceTimeout) {

    public ProgressRules {
        if (idleTimeout == null || idleTimeout.isNegative()) {
            throw new IllegalArgumentException("progress idle timeout must be >= 0, was " + idleTimeout);
        }
        if (silenceTimeout == null || silenceTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("progress silence timeout must be >= 1 ms, was " + silenceTimeout);
        }
    }

    /** Idle after 1 s of producer clock; a producer silent for 10 s of the others' clocks stops counting. */
    public static ProgressRules defaults() {
        return new ProgressRules(Duration.ofSeconds(1), Duration.ofSeconds(10));
    }
}

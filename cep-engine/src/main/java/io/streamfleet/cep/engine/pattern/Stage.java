package io.streamfleet.cep.engine.pattern;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * One step of a pattern: the events it collects ({@code condition}), how many it needs ({@code quantifier}) and the
 * event-time span it collects them over ({@code window}). The first stage looks back from the anchor
 * ({@code [t(anchor) − window, t(anchor)]}); every later stage looks forward from the end of the previous stage
 * ({@code (previous, t(previous) + window]}). Invalid stages fail at construction, naming the stage.
 *
 * @param name       unique within the pattern, used in errors and in {@link Match}
 * @param condition  which events the stage collects
 * @param quantifier how many it must collect
 * @param window     span of the stage, ≥ 0
 * @param <E>        event type
 */
public record Stage<E>(String name, Predicate<E> condition, Quantifier quantifier, Duration window) {

    public Stage {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a stage needs a non-blank name");
        }
        if (condition == null) {
            throw new IllegalArgumentException("stage '" + name + "': condition is required");
        }
        if (quantifier == null) {
            throw new IllegalArgumentException("stage '" + name + "': quantifier is required");
        }
        if (window == null || window.isNegative()) {
            throw new IllegalArgumentException("stage '" + name + "': window must be >= 0, was " + window);
        }
    }

    /** Convenience factory reading like the pattern: {@code Stage.of("cancels", isCancel, timesOrMore(8), 1s)}. */
    public static <E> Stage<E> of(String name, Predicate<E> condition, Quantifier quantifier, Duration window) {
        return new Stage<>(name, condition, quantifier, window);
    }

    /** Window in milliseconds. */
    public long windowMs() {
        return window.toMillis();
    }
}

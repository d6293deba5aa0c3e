package io.streamfleet.cep.engine.pattern;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A declarative sequence pattern: at least two {@link Stage}s, a post-match predicate over the collected events and
 * a {@link SkipStrategy}. A candidate is anchored at an event of the first stage whose next event relevant to the
 * first two stages belongs to the second stage; see {@code docs/cep-detector.md} for the exact semantics.
 *
 * @param name           pattern name
 * @param order          total order of events (time, then id)
 * @param stages         the stages, in order
 * @param matchCondition post-match predicate, applied once the stage counts are satisfied
 * @param skip           what a match consumes
 * @param <E>            event type
 */
public record Pattern<E>(String name, EventOrder<E> order, List<Stage<E>> stages, Predicate<Match<E>> matchCondition,
                         SkipStrategy skip) {

    public Pattern {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a pattern needs a non-blank name");
        }
        Objects.requireNonNull(order, "pattern '" + name + "': order");
        Objects.requireNonNull(matchCondition, "pattern '" + name + "': matchCondition");
        Objects.requireNonNull(skip, "pattern '" + name + "': skip strategy");
        stages = List.copyOf(stages);
        if (stages.size() < 2) {
            throw new IllegalArgumentException("pattern '" + name + "' needs at least two stages, has " + stages.size());
        }
        Set<String> names = new HashSet<>();
        for (Stage<E> stage : stages) {
            if (!names.add(stage.name())) {
                throw new IllegalArgumentException("pattern '" + name + "': duplicate stage name '" + stage.name() + "'");
            }
        }
    }

    /** Starts a pattern whose first stage is {@code first}. */
    public static <E> Builder<E> begin(String name, EventOrder<E> order, Stage<E> first) {
        return new Builder<E>(name, order).then(first);
    }

    /**
     * Fluent construction; {@link #build()} validates.
     *
     * @param <E> event type
     */
    public static final class Builder<E> {
        private final String name;
        private final EventOrder<E> order;
        private final List<Stage<E>> stages = new ArrayList<>();
        private Predicate<Match<E>> matchCondition = match -> true;
        private SkipStrategy skip = SkipStrategy.skipPastLastEvent();

        private Builder(String name, EventOrder<E> order) {
            this.name = name;
            this.order = order;
        }

        /** Appends a stage ("followed by"). */
        public Builder<E> then(Stage<E> stage) {
            stages.add(stage);
            return this;
        }

        /** Appends a stage built from its parts. */
        public Builder<E> then(String stage, Predicate<E> condition, Quantifier quantifier, Duration window) {
            return then(Stage.of(stage, condition, quantifier, window));
        }

        /** Post-match predicate over the whole match (default: accept). */
        public Builder<E> where(Predicate<Match<E>> condition) {
            this.matchCondition = condition;
            return this;
        }

        /** Skip strategy (default: skip past last event). */
        public Builder<E> skip(SkipStrategy strategy) {
            this.skip = strategy;
            return this;
        }

        public Pattern<E> build() {
            return new Pattern<>(name, order, stages, matchCondition, skip);
        }
    }
}

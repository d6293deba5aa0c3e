package io.streamfleet.cep.engine.compile;

import io.streamfleet.cep.engine.pattern.EventOrder;
import io.streamfleet.cep.engine.pattern.Match;
import io.streamfleet.cep.engine.pattern.Pattern;
import io.streamfleet.cep.engine.pattern.Quantifier;
import io.streamfleet.cep.engine.pattern.SkipStrategy;
import io.streamfleet.cep.engine.pattern.Stage;

import java.util.List;
import java.util.function.Predicate;

/**
 * The immutable, matcher-ready form of a {@link Pattern}: stage parts in arrays and the derived time bounds.
 * <ul>
 *   <li>{@link #lookbackMs()} — the first stage's window, how far before an anchor events are still needed;</li>
 *   <li>{@link #deadlineOffsetMs()} — sum of the later stages' windows: a candidate anchored at {@code t} is
 *   complete (all events it can collect are known) once the watermark passes {@code t + deadlineOffsetMs}.</li>
 * </ul>
 *
 * @param <E> event type
 */
public final class CompiledPattern<E> {

    private final String name;
    private final EventOrder<E> order;
    private final List<String> stageNames;
    private final List<Predicate<E>> conditions;
    private final List<Quantifier> quantifiers;
    private final long[] windowsMs;
    private final long deadlineOffsetMs;
    private final Predicate<Match<E>> matchCondition;
    private final SkipStrategy skip;

    private CompiledPattern(Pattern<E> pattern) {
        this.name = pattern.name();
        this.order = pattern.order();
        this.stageNames = pattern.stages().stream().map(Stage::name).toList();
        this.conditions = pattern.stages().stream().map(Stage::condition).toList();
        this.quantifiers = pattern.stages().stream().map(Stage::quantifier).toList();
        this.windowsMs = pattern.stages().stream().mapToLong(Stage::windowMs).toArray();
        long offset = 0;
        for (int i = 1; i < windowsMs.length; i++) {
            offset = Math.addExact(offset, windowsMs[i]);
        }
        this.deadlineOffsetMs = offset;
        this.matchCondition = pattern.matchCondition();
        this.skip = pattern.skip();
    }

    /** Compiles a (already validated) pattern. */
    public static <E> CompiledPattern<E> compile(Pattern<E> pattern) {
        return new CompiledPattern<>(pattern);
    }

    public String name() {
        return name;
    }

    public EventOrder<E> order() {
        return order;
    }

    public int stageCount() {
        return windowsMs.length;
    }

    public String stageName(int stage) {
        return stageNames.get(stage);
    }

    public boolean matches(int stage, E event) {
        return conditions.get(stage).test(event);
    }

    public Quantifier quantifier(int stage) {
        return quantifiers.get(stage);
    }

    public long windowMs(int stage) {
        return windowsMs[stage];
    }

    public long lookbackMs() {
        return windowsMs[0];
    }

    public long deadlineOffsetMs() {
        return deadlineOffsetMs;
    }

    /** Whether any stage could use the event; irrelevant events are never stored. */
    public boolean isRelevant(E event) {
        for (Predicate<E> condition : conditions) {
            if (condition.test(event)) {
                return true;
            }
        }
        return false;
    }

    public boolean accepts(Match<E> match) {
        return matchCondition.test(match);
    }

    public SkipStrategy skip() {
        return skip;
    }
}

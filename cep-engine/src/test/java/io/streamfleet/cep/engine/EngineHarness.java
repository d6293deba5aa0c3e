package io.streamfleet.cep.engine;

import io.streamfleet.cep.engine.compile.CompiledPattern;
import io.streamfleet.cep.engine.pattern.Match;
import io.streamfleet.cep.engine.pattern.Pattern;
import io.streamfleet.cep.engine.runtime.KeyState;
import io.streamfleet.cep.engine.runtime.Matcher;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * Feeds one key's events to a matcher the way the operator does (in order, each once behind the watermark, watermark
 * advanced after every event) and collects matches; records the largest state it ever held.
 */
public final class EngineHarness<E> {

    private final Matcher<E> matcher;
    private final KeyState<E> state = KeyState.empty();
    private final List<Match<E>> matches = new ArrayList<>();
    private int maxStateSize;
    private long stateWrites;

    public EngineHarness(Pattern<E> pattern) {
        this.matcher = new Matcher<>(CompiledPattern.compile(pattern));
    }

    /** Sorts {@code events}, then for each event advances the watermark to {@code watermarkAfter(t)} first. */
    public List<Match<E>> run(List<E> events, LongUnaryOperator watermarkAfter) {
        List<E> sorted = new ArrayList<>(events);
        sorted.sort(matcher.pattern().order());
        for (E event : sorted) {
            long t = matcher.pattern().order().time(event);
            advance(t);
            matcher.process(state, event);
            advance(watermarkAfter.applyAsLong(t));
        }
        advance(Long.MAX_VALUE);
        return List.copyOf(matches);
    }

    /** Runs with the watermark at each event's own time (the tightest legal schedule). */
    public List<Match<E>> run(List<E> events) {
        return run(events, t -> t);
    }

    private void advance(long watermark) {
        matches.addAll(matcher.advanceTime(state, watermark).matches());
        if (state.changed()) {
            stateWrites++;
            state.markClean();
        }
        maxStateSize = Math.max(maxStateSize, state.size());
    }

    public KeyState<E> state() {
        return state;
    }

    public int maxStateSize() {
        return maxStateSize;
    }

    public long stateWrites() {
        return stateWrites;
    }
}

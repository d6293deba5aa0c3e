package io.streamfleet.cep.engine.runtime;

import io.streamfleet.cep.engine.compile.CompiledPattern;
import io.streamfleet.cep.engine.pattern.EventOrder;
import io.streamfleet.cep.engine.pattern.Match;
import io.streamfleet.cep.engine.pattern.SkipStrategy;
import io.streamfleet.cep.engine.pattern.StageEvents;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs one compiled pattern over per-key states. Stateless and thread-safe: all state lives in the {@link KeyState}
 * passed in. The owner feeds each key's events in (eventTimeMs, eventId) order once they are behind the watermark
 * ({@link #process}) and then tells the matcher the watermark ({@link #advanceTime}); candidates whose deadline the
 * watermark passed are evaluated in order with counting loops (no per-candidate copies of partial matches), and the
 * state is pruned to the horizon. No wall clock is read here.
 *
 * @param <E> event type
 */
public final class Matcher<E> {

    private final CompiledPattern<E> pattern;
    private final EventOrder<E> order;

    public Matcher(CompiledPattern<E> pattern) {
        this.pattern = pattern;
        this.order = pattern.order();
    }

    public CompiledPattern<E> pattern() {
        return pattern;
    }

    /** Adds an event behind the watermark; events must come in strictly increasing (time, id) order. */
    public ProcessOutcome process(KeyState<E> state, E event) {
        if (!pattern.isRelevant(event)) {
            return ProcessOutcome.IGNORED;
        }
        if (!state.isEmpty() && order.compare(state.get(state.size() - 1), event) >= 0
                || state.evaluatedThrough() != null && state.evaluatedThrough().compareTo(ref(event)) >= 0) {
            return ProcessOutcome.OUT_OF_ORDER;
        }
        state.append(event);
        return ProcessOutcome.RETAINED;
    }

    /**
     * Evaluates, in order, every pending candidate whose deadline {@code t(anchor) + deadlineOffset} is before
     * {@code watermark}, applies the skip strategy after each match, and drops events no future candidate can use.
     * The caller must have processed every event with time before {@code watermark} first.
     */
    public Advance<E> advanceTime(KeyState<E> state, long watermark) {
        List<Match<E>> matches = new ArrayList<>();
        int evaluated = 0;
        int i = firstUnevaluated(state);
        while (i < state.size()) {
            E event = state.get(i);
            boolean firstStage = pattern.matches(0, event);
            if (firstStage && saturatedAdd(order.time(event), pattern.deadlineOffsetMs()) >= watermark) {
                break;
            }
            // events that cannot anchor are passed as soon as every candidate before them is done
            if (firstStage && isAnchor(state, i)) {
                evaluated++;
                Match<E> match = evaluate(state, i);
                if (match != null) {
                    matches.add(match);
                    if (pattern.skip() instanceof SkipStrategy.SkipPastLastEvent) {
                        E last = match.last();
                        state.dropFirst(indexOf(state, last) + 1);
                        state.evaluatedThrough(ref(last));
                        i = 0;
                        continue;
                    }
                }
            }
            state.evaluatedThrough(ref(event));
            i++;
        }
        prune(state, watermark);
        return new Advance<>(matches, evaluated);
    }

    /**
     * The smallest watermark at which {@link #advanceTime} would change this state ({@code Long.MAX_VALUE} for an
     * empty state): the next candidate's deadline, or the moment every stored event falls out of the lookback.
     * After {@link #advanceTime} the first unevaluated event, if any, is a first-stage event.
     */
    public long nextWakeUp(KeyState<E> state) {
        if (state.isEmpty()) {
            return Long.MAX_VALUE;
        }
        int u = firstUnevaluated(state);
        if (u < state.size()) {
            return saturatedAdd(saturatedAdd(order.time(state.get(u)), pattern.deadlineOffsetMs()), 1);
        }
        return saturatedAdd(saturatedAdd(order.time(state.get(state.size() - 1)), pattern.lookbackMs()), 1);
    }

    /**
     * How far behind the watermark a state's events can reach: after {@link #advanceTime} to any watermark, and for
     * every later watermark W before the state's {@link #nextWakeUp}, every stored event has a time at or after
     * {@code W − retentionMs()}. An owner that evaluates each key once the watermark reaches its wake-up can therefore
     * forget everything older than that for all keys at once (an owner that keeps its input that long can store a key
     * state as a reference into that input instead of a copy of its events).
     *
     * <p>Why: pruning keeps events from {@code min(t(u), W) − lookback}, u the first unevaluated event. If u exists,
     * its candidate is not yet due ({@code t(u) + deadlineOffset ≥ W}) and the wake-up is that deadline, so until then
     * events reach back at most deadlineOffset + lookback. Otherwise every event is before W and the wake-up is the
     * last event's time + lookback, so until then they reach back at most 2 × lookback.
     */
    public long retentionMs() {
        return saturatedAdd(pattern.lookbackMs(), Math.max(pattern.lookbackMs(), pattern.deadlineOffsetMs()));
    }

    /**
     * Candidates known (anchor and its successor stored) but not yet evaluated: the {@link #isAnchor} positions from
     * the first unevaluated event on, counted in one backward pass (it runs twice per key evaluation) that carries
     * whether the next event relevant to the first two stages belongs to the second.
     */
    public int pendingCandidates(KeyState<E> state) {
        int pending = 0;
        boolean nextIsSecond = false;
        int from = firstUnevaluated(state);
        for (int i = state.size() - 1; i >= from; i--) {
            E event = state.get(i);
            boolean first = pattern.matches(0, event);
            boolean second = pattern.matches(1, event);
            if (first && nextIsSecond) {
                pending++;
            }
            if (first || second) {
                nextIsSecond = second;
            }
        }
        return pending;
    }

    /** Anchor: a first-stage event whose next event relevant to the first two stages belongs to the second. */
    private boolean isAnchor(KeyState<E> state, int i) {
        if (!pattern.matches(0, state.get(i))) {
            return false;
        }
        for (int j = i + 1; j < state.size(); j++) {
            E next = state.get(j);
            boolean second = pattern.matches(1, next);
            if (second || pattern.matches(0, next)) {
                return second;
            }
        }
        return false;
    }

    /** Counting pass first; the match is materialised only when every quantifier is satisfied. */
    private Match<E> evaluate(KeyState<E> state, int anchorIndex) {
        int stages = pattern.stageCount();
        int[] from = new int[stages];
        int[] to = new int[stages];
        long[] until = new long[stages];
        long anchorTime = order.time(state.get(anchorIndex));
        long since = anchorTime - pattern.lookbackMs();
        int count = 0;
        from[0] = anchorIndex;
        for (int j = anchorIndex; j >= 0 && order.time(state.get(j)) >= since; j--) {
            if (pattern.matches(0, state.get(j))) {
                count++;
                from[0] = j;
            }
        }
        if (!pattern.quantifier(0).accepts(count)) {
            return null;
        }
        to[0] = anchorIndex;
        until[0] = anchorTime;
        long reference = anchorTime;
        for (int s = 1; s < stages; s++) {
            until[s] = saturatedAdd(reference, pattern.windowMs(s));
            from[s] = to[s - 1] + 1;
            count = 0;
            int last = -1;
            for (int j = from[s]; j < state.size() && order.time(state.get(j)) <= until[s]; j++) {
                if (pattern.matches(s, state.get(j))) {
                    count++;
                    last = j;
                }
            }
            if (!pattern.quantifier(s).accepts(count)) {
                return null;
            }
            to[s] = last;
            reference = order.time(state.get(last));
        }
        Match<E> match = materialise(state, from, to, since, until);
        return pattern.accepts(match) ? match : null;
    }

    private Match<E> materialise(KeyState<E> state, int[] from, int[] to, long since, long[] until) {
        List<StageEvents<E>> collected = new ArrayList<>(from.length);
        for (int s = 0; s < from.length; s++) {
            List<E> events = new ArrayList<>();
            for (int j = from[s]; j <= to[s]; j++) {
                E event = state.get(j);
                long t = order.time(event);
                if (pattern.matches(s, event) && t <= until[s] && (s > 0 || t >= since)) {
                    events.add(event);
                }
            }
            collected.add(new StageEvents<>(pattern.stageName(s), events));
        }
        return new Match<>(pattern.name(), state.get(to[0]), collected);
    }

    /** Drops events before the lookback of the earliest candidate that can still be evaluated. */
    private void prune(KeyState<E> state, long watermark) {
        int u = firstUnevaluated(state);
        long earliestAnchor = u < state.size() ? Math.min(order.time(state.get(u)), watermark) : watermark;
        long keepFrom = earliestAnchor - pattern.lookbackMs();
        if (earliestAnchor < Long.MIN_VALUE + pattern.lookbackMs()) {
            return;
        }
        int drop = 0;
        while (drop < state.size() && order.time(state.get(drop)) < keepFrom) {
            drop++;
        }
        state.dropFirst(drop);
    }

    private int firstUnevaluated(KeyState<E> state) {
        EventRef through = state.evaluatedThrough();
        if (through == null) {
            return 0;
        }
        int low = 0;
        int high = state.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (compareTo(state.get(mid), through) <= 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** {@code ref(event).compareTo(ref)} without building the event's ref (this runs several times per evaluation). */
    private int compareTo(E event, EventRef ref) {
        int byTime = Long.compare(order.time(event), ref.timeMs());
        return byTime != 0 ? byTime : order.id(event).compareTo(ref.eventId());
    }

    private int indexOf(KeyState<E> state, E event) {
        for (int i = 0; i < state.size(); i++) {
            if (state.get(i) == event) {
                return i;
            }
        }
        throw new IllegalStateException("matched event not in state");
    }

    private EventRef ref(E event) {
        return new EventRef(order.time(event), order.id(event));
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
    }
}

package io.streamfleet.cep.engine.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The matcher's state for one key: the unconsumed events still inside the horizon, each stored once in
 * (eventTimeMs, eventId) order, and how far candidates have been evaluated. Mutated only by {@link Matcher}; the
 * {@link #changed()} flag tells the owner whether the state must be written back.
 *
 * @param <E> event type
 */
public final class KeyState<E> {

    private final ArrayList<E> events;
    private EventRef evaluatedThrough;
    private boolean changed;

    private KeyState(List<E> events, EventRef evaluatedThrough) {
        this.events = new ArrayList<>(events);
        this.evaluatedThrough = evaluatedThrough;
    }

    /** A fresh state for a key never seen (or fully expired). */
    public static <E> KeyState<E> empty() {
        return new KeyState<>(List.of(), null);
    }

    /** A state read back from storage; {@code events} must be in event order. */
    public static <E> KeyState<E> restore(List<E> events, EventRef evaluatedThrough) {
        return new KeyState<>(events, evaluatedThrough);
    }

    /** Stored events in event order (read-only view). */
    public List<E> events() {
        return Collections.unmodifiableList(events);
    }

    /** Candidates anchored at or before this position were evaluated; null when none was. */
    public EventRef evaluatedThrough() {
        return evaluatedThrough;
    }

    public boolean isEmpty() {
        return events.isEmpty();
    }

    public int size() {
        return events.size();
    }

    /** Whether the state differs from what it was restored (or last marked clean) as. */
    public boolean changed() {
        return changed;
    }

    /** Called by the owner after writing the state back. */
    public void markClean() {
        changed = false;
    }

    E get(int index) {
        return events.get(index);
    }

    void append(E event) {
        events.add(event);
        changed = true;
    }

    /** Removes the first {@code count} events. */
    void dropFirst(int count) {
        if (count > 0) {
            events.subList(0, count).clear();
            changed = true;
        }
    }

    void evaluatedThrough(EventRef ref) {
        if (!ref.equals(evaluatedThrough)) {
            evaluatedThrough = ref;
            changed = true;
        }
    }
}

package io.streamfleet.cep.operator;

import io.streamfleet.cep.burst.TrackedOrder;
import io.streamfleet.cep.engine.runtime.KeyState;
import io.streamfleet.cep.engine.runtime.Matcher;
import io.streamfleet.cep.operator.StateCodec.Stored;
import io.streamfleet.cep.operator.StateCodec.StoredState;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The matcher state of every key of one task: in memory while the task runs, and in {@code cep-key-state} for the
 * next start. A stored state <em>refers</em> to its events instead of holding them ({@link StateCodec#encodeReference}:
 * the (time, id) of its oldest event and how many there are), because every one of them is still in
 * {@code cep-buffer}: the processor keeps drained orders there for {@link Matcher#retentionMs()} behind the
 * watermark, as long as any state can reach back. Rewriting a key's whole horizon at every evaluation made this store's
 * changelog a third of the broker's bytes at 20 000 events/s (docs/cep-detector.md, "Key states by reference").
 *
 * <p>A state whose oldest event is older than what the buffer holds (written by the version before this layout) is
 * stored with its events ({@link StateCodec#encodeState}) until its events have moved on.
 *
 * <p>The map is the task's state as the store has it: every change is put in the same call, an entry goes when the
 * store's goes, and {@link #load} rebuilds it when the processor is initialised. Kafka Streams discards uncommitted
 * store writes only by closing the task (dirty close after an aborted transaction, migration, crash) and initialising
 * its processors again, so the map never holds a write the store no longer has.
 */
final class KeyStates {

    private final KeyValueStore<String, byte[]> store;
    private final Matcher<TrackedOrder> matcher;
    private final Map<String, StoredState> states = new HashMap<>();

    KeyStates(KeyValueStore<String, byte[]> store, Matcher<TrackedOrder> matcher) {
        this.store = store;
        this.matcher = matcher;
    }

    /**
     * Reads every stored state and fills {@code wakeUps}; states stored by reference take their events from
     * {@code retained}, the buffered orders from where the buffer is complete up to the drained watermark, in buffer
     * order. Returns how many states refer to the buffer.
     *
     * @throws IllegalStateException when the buffer does not hold exactly the events a stored state refers to
     */
    int load(List<OrderBuffer.Taken> retained, WakeUpIndex wakeUps) {
        states.clear();
        wakeUps.clear();
        Map<String, Stored> referring = new HashMap<>();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> entry = it.next();
                if (entry.value == null) {
                    continue;
                }
                Stored stored = StateCodec.decode(entry.value);
                if (stored.wakeAt() != Long.MAX_VALUE) {
                    wakeUps.add(stored.wakeAt(), entry.key);
                }
                if (stored.byReference()) {
                    referring.put(entry.key, stored);
                } else {
                    states.put(entry.key, new StoredState(KeyState.restore(stored.events(), stored.through()),
                            stored.wakeAt(), StoredState.UNCOUNTED));
                }
            }
        }
        if (!referring.isEmpty()) {
            List<OrderBuffer.Taken> theirs = new ArrayList<>();
            for (OrderBuffer.Taken order : retained) {
                if (referring.containsKey(order.key())) {
                    theirs.add(order);
                }
            }
            Map<String, List<TrackedOrder>> byKey = DrainedOrders.byKey(theirs, () -> { });
            referring.forEach((key, stored) -> states.put(key, new StoredState(
                    KeyState.restore(eventsOf(key, stored, byKey.getOrDefault(key, List.of())), stored.through()),
                    stored.wakeAt(), StoredState.UNCOUNTED)));
        }
        return referring.size();
    }

    /** The events a state stored by reference has: the relevant drained orders of its key from its oldest on. */
    private List<TrackedOrder> eventsOf(String key, Stored stored, List<TrackedOrder> drained) {
        List<TrackedOrder> events = new ArrayList<>(stored.size());
        for (TrackedOrder order : drained) {
            if (matcher.pattern().isRelevant(order) && StateCodec.ref(order).compareTo(stored.first()) >= 0) {
                events.add(order);
            }
        }
        boolean sameFirst = events.isEmpty() || StateCodec.ref(events.get(0)).equals(stored.first());
        if (events.size() != stored.size() || !sameFirst) {
            throw new IllegalStateException("cep-key-state of " + key + " refers to " + stored.size()
                    + " orders from " + stored.first() + " on, but cep-buffer holds " + events.size()
                    + (events.isEmpty() ? "" : " from " + StateCodec.ref(events.get(0)) + " on")
                    + ": the buffer was cleaned past a live key state (a bug; resetting the application's state"
                    + " recovers)");
        }
        return events;
    }

    /** The key's state, or null when it has none. */
    StoredState get(String key) {
        return states.get(key);
    }

    /** Keeps {@code state} in memory without writing it: the store already has it. */
    void keep(String key, StoredState state) {
        states.put(key, state);
    }

    /**
     * Writes the key's (non-empty) state: by reference when the buffer holds its oldest event
     * ({@code bufferHoldsFrom} at or before it), else with its events. Returns whether it was written by reference.
     */
    boolean write(String key, StoredState state, long bufferHoldsFrom) {
        KeyState<TrackedOrder> matcherState = state.state();
        boolean referable = matcherState.events().get(0).order().eventTimeMs() >= bufferHoldsFrom;
        store.put(key, referable ? StateCodec.encodeReference(matcherState, state.wakeAt())
                : StateCodec.encodeState(matcherState, state.wakeAt()));
        states.put(key, state);
        return referable;
    }

    /** Deletes the key's state, in the store too. */
    void delete(String key) {
        states.remove(key);
        store.put(key, null); // the store's delete without delete()'s read of the old value
    }

    void clear() {
        states.clear();
    }
}

package io.streamfleet.cep.operator;

import io.streamfleet.cep.burst.TrackedOrder;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Orders taken off the buffer, grouped by key in the order the matcher is fed them: (time, id), a repeated
 * (time, id) dropped and the first arrival kept. One home for that rule: a drain and the rebuild of key states from
 * the buffer at start-up ({@link KeyStates}) must see the same events.
 */
final class DrainedOrders {

    private DrainedOrders() {
    }

    /** An order taken off the buffer; legacy if it was buffered alone by the layout before chunks. */
    private record Drained(TrackedOrder order, boolean legacy) {
    }

    /** (time, id), then an order of the older layout first: it arrived before any chunk of its bucket. */
    private static final Comparator<Drained> DRAIN_ORDER = (a, b) -> {
        int byOrder = TrackedOrder.ORDER.compare(a.order(), b.order());
        return byOrder != 0 ? byOrder : Boolean.compare(!a.legacy(), !b.legacy());
    };

    /**
     * Groups {@code taken} (in buffer order: a bucket's chunks in arrival order) by key, each key's orders in event
     * order without repeats; {@code onRepeat} runs once per dropped repeat.
     */
    static Map<String, List<TrackedOrder>> byKey(List<OrderBuffer.Taken> taken, Runnable onRepeat) {
        Map<String, List<Drained>> grouped = new LinkedHashMap<>();
        for (OrderBuffer.Taken order : taken) {
            grouped.computeIfAbsent(order.key(), k -> new ArrayList<>())
                    .add(new Drained(StateCodec.decodeOrder(order.order()), order.legacy()));
        }
        Map<String, List<TrackedOrder>> byKey = new LinkedHashMap<>(Math.max(16, grouped.size() * 2));
        for (Map.Entry<String, List<Drained>> entry : grouped.entrySet()) {
            List<Drained> events = entry.getValue();
            // stable: equal (time, id) stay in arrival order, and the first arrival is kept
            events.sort(DRAIN_ORDER);
            List<TrackedOrder> kept = new ArrayList<>(events.size());
            for (Drained event : events) {
                if (!kept.isEmpty() && TrackedOrder.ORDER.compare(kept.get(kept.size() - 1), event.order()) == 0) {
                    onRepeat.run();
                    continue;
                }
                kept.add(event.order());
            }
            byKey.put(entry.getKey(), kept);
        }
        return byKey;
    }
}

package io.streamfleet.cepbaseline;

import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A few keys, each holding injected episodes or one near-miss, merged into one event-time-ordered stream. Event
 * ids are {@code <account>-<seq>} with a zero-padded sequence, so id order is creation order within a key.
 */
final class LabelledStream {

    private static final double[] THREE_LEVELS = {100.00, 100.01, 100.02};
    private static final double[] TWO_LEVELS = {100.00, 100.01};

    private final List<OrderEvent> events = new ArrayList<>();
    private final Set<String> clearCut = new LinkedHashSet<>();
    private final Set<String> clearCutLong = new LinkedHashSet<>();
    private final Set<String> largeBursts = new LinkedHashSet<>();
    private final Map<String, Integer> sequences = new HashMap<>();

    /**
     * Clear-cut for either reading of the detection rule (docs/cep-detector.md#how-this-differs-from-flink-cep):
     * 10 creates over 3 levels in 360 ms, 9 cancels in the next 360 ms.
     */
    LabelledStream clearCut(String account, long start) {
        clearCut.add(burst(account, start, 10, 40, THREE_LEVELS, 9, 40, null));
        return this;
    }

    /**
     * Clear-cut but longer than T2: 10 creates over 3 levels in 900 ms with a stray cancel and a fill inside, 9
     * cancels in the next 540 ms (span 1.44 s, inside T1 + T2).
     */
    LabelledStream clearCutLong(String account, long start) {
        clearCutLong.add(burst(account, start, 10, 100, THREE_LEVELS, 9, 60, start + 450));
        clearCut.addAll(clearCutLong);
        return this;
    }

    /**
     * 12 creates over 3 levels, 11 cancels (ratio 0.92): an episode for our engine, which takes every cancel within
     * T2; Flink completes the match at the 8th cancel (ratio 8/12 fails).
     */
    LabelledStream largeBurst(String account, long start) {
        largeBursts.add(burst(account, start, 12, 40, THREE_LEVELS, 11, 40, null));
        return this;
    }

    /** Near-miss: a clear burst and cancels, but only 2 price levels. */
    LabelledStream twoLevelsOnly(String account, long start) {
        burst(account, start, 10, 40, TWO_LEVELS, 9, 40, null);
        return this;
    }

    /** Near-miss: 3 levels, but 7 cancels for 10 creates. */
    LabelledStream tooFewCancels(String account, long start) {
        burst(account, start, 10, 40, THREE_LEVELS, 7, 40, null);
        return this;
    }

    /** Near-miss: 9 creates over 3 levels, 9 cancels. */
    LabelledStream tooFewCreates(String account, long start) {
        burst(account, start, 9, 40, THREE_LEVELS, 9, 40, null);
        return this;
    }

    OrderEvent[] events() {
        return events.stream()
                .sorted(Comparator.comparingLong(OrderEvent::eventTimeMs).thenComparing(OrderEvent::eventId))
                .toArray(OrderEvent[]::new);
    }

    /** Injected clear-cut episodes as {@link Detection#episode()}: key and first create. */
    Set<String> clearCut() {
        return Set.copyOf(clearCut);
    }

    /** The clear-cut episodes that span more than T2. */
    Set<String> clearCutLong() {
        return Set.copyOf(clearCutLong);
    }

    Set<String> largeBursts() {
        return Set.copyOf(largeBursts);
    }

    private String burst(String account, long start, int creates, long createStep, double[] prices, int cancels,
                         long cancelStep, Long strayCancelAt) {
        List<OrderEvent> own = new ArrayList<>();
        for (int i = 0; i < creates; i++) {
            own.add(event(account, OrderEventType.CREATED, start + i * createStep, prices[i % prices.length]));
        }
        if (strayCancelAt != null) {
            own.add(event(account, OrderEventType.CANCELLED, strayCancelAt, 100.00));
            own.add(event(account, OrderEventType.FILLED, strayCancelAt + 10, 100.00));
        }
        long lastCreate = start + (creates - 1) * createStep;
        for (int i = 1; i <= cancels; i++) {
            own.add(event(account, OrderEventType.CANCELLED, lastCreate + i * cancelStep, 100.00));
        }
        own.sort(Comparator.comparingLong(OrderEvent::eventTimeMs));
        List<OrderEvent> numbered = new ArrayList<>();
        for (OrderEvent event : own) {
            int sequence = sequences.merge(account, 1, Integer::sum);
            numbered.add(event.withEventId(String.format("%s-%04d", account, sequence)));
        }
        events.addAll(numbered);
        OrderEvent first = numbered.get(0);
        return first.key() + "/" + first.eventId();
    }

    private static OrderEvent event(String account, OrderEventType type, long time, double price) {
        return new OrderEvent("unnumbered", account, "SYM", type, null, Side.BUY, price, 1, time);
    }
}

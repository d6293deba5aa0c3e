package io.streamfleet.cepbaseline;

import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;

/**
 * The seeded stream of cep-detector's {@code CepBenchmark.generate} (test sources there, so not on this module's
 * classpath): the same algorithm, draw for draw, so a seed gives the same events in both benchmarks. Global
 * event-time order; each key cycles through a burst of 5–14 creates over 3 price levels, 3–10 cancels and the odd
 * fill, one event per key about every 100 ms of event time — many partial matches, most failing a threshold.
 */
public final class BenchmarkStream {

    /** First event time of every generated stream. */
    public static final long T0 = 1_700_000_000_000L;

    private BenchmarkStream() {
    }

    /**
     * The same events sorted by (eventTimeMs, eventId), the order both engines of the comparison take their input in
     * (the generator's ids sort against their creation order across a digit-count boundary, e.g. {@code e99966} and
     * {@code e100000} in the same millisecond).
     */
    public static OrderEvent[] inEventOrder(OrderEvent[] events) {
        OrderEvent[] sorted = events.clone();
        Arrays.sort(sorted, Comparator.comparingLong(OrderEvent::eventTimeMs).thenComparing(OrderEvent::eventId));
        return sorted;
    }

    public static OrderEvent[] generate(int count, int keys, long seed) {
        Random random = new Random(seed);
        int[] remainingCreates = new int[keys];
        int[] remainingCancels = new int[keys];
        OrderEvent[] events = new OrderEvent[count];
        long time = T0;
        for (int i = 0; i < count; i++) {
            time += random.nextInt(Math.max(1, keys / 100)) == 0 ? 1 : 0;
            int k = random.nextInt(keys);
            if (remainingCreates[k] == 0 && remainingCancels[k] == 0) {
                remainingCreates[k] = 5 + random.nextInt(10);
                remainingCancels[k] = 3 + random.nextInt(8);
            }
            OrderEventType type;
            if (random.nextInt(20) == 0) {
                type = OrderEventType.FILLED;
            } else if (remainingCreates[k] > 0) {
                type = OrderEventType.CREATED;
                remainingCreates[k]--;
            } else {
                type = OrderEventType.CANCELLED;
                remainingCancels[k]--;
            }
            double price = 100.00 + random.nextInt(3) / 100.0;
            events[i] = new OrderEvent("e" + i, "acc-" + k, "SYM", type, null, Side.BUY, price, 1, time);
        }
        return events;
    }
}

package io.streamfleet.bench.scenario;

import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Background order flow over many keys: orders are created at several price levels and later cancelled or filled. It
 * can never match the detection rule (docs/cep-detector.md#detection-rule): no key ever has {@code minCreates} creates
 * within any {@code T1} window (a create that would make it so becomes a fill), so every candidate misses the
 * burst-size rule.
 */
final class OrderNoise {

    private static final int MAX_OPEN = 16;

    private record Open(String orderId, double price, Side side, long qty) {
    }

    private final ScenarioSettings s;
    private final String runId;
    private final SplittableRandom rng;
    private final IdSequence ids;
    private final KeyState[] keys;

    private static final class KeyState {
        final String account;
        final String symbol;
        final long midLevel;
        final ArrayDeque<Open> open = new ArrayDeque<>();
        /** Times of the key's recent creates, in the order made: primitive, as this is on the driver's hot path. */
        long[] createTimes = new long[8];
        int creates;

        KeyState(String account, String symbol, long midLevel) {
            this.account = account;
            this.symbol = symbol;
            this.midLevel = midLevel;
        }
    }

    OrderNoise(ScenarioSettings s, String runId, SplittableRandom rng) {
        this.s = s;
        this.runId = runId;
        this.rng = rng;
        this.ids = new IdSequence(runId + "-O");
        this.keys = new KeyState[s.orderKeys()];
    }

    String runId() {
        return runId;
    }

    BenchEvent next(long sendNanos) {
        long now = s.startMs() + TimeUnit.NANOSECONDS.toMillis(sendNanos);
        KeyState key = key(rng.nextInt(keys.length));
        if (s.lateRate() > 0 && rng.nextDouble() < s.lateRate()) {
            long time = now - s.burst().latenessMs() - 1_000 - rng.nextLong(1_000);
            return BenchEvent.order(sendNanos, fill(key, time), EventTag.LATE, null);
        }
        long time = now - ScenarioGenerator.jitter(rng, s.jitterMs());
        int roll = rng.nextInt(10);
        OrderEvent event;
        if (key.open.isEmpty() || roll < 5 || key.open.size() >= MAX_OPEN && roll < 3) {
            event = mayCreate(key, time) ? create(key, time) : fill(key, time);
        } else if (roll < 8) {
            Open o = key.open.pollFirst();
            event = new OrderEvent(ids.get(), key.account, key.symbol, OrderEventType.CANCELLED, o.orderId(),
                    o.side(), o.price(), o.qty(), time);
        } else {
            event = fill(key, time);
        }
        return BenchEvent.order(sendNanos, event, EventTag.NOISE, null);
    }

    private KeyState key(int index) {
        if (keys[index] == null) {
            String account = "acct-" + runId + "-" + index / ScenarioGenerator.SYMBOLS.length;
            String symbol = ScenarioGenerator.SYMBOLS[index % ScenarioGenerator.SYMBOLS.length];
            keys[index] = new KeyState(account, symbol, 1_000 + (index * 7_919L) % 50_000);
        }
        return keys[index];
    }

    /** False if a create at this time would put minCreates creates into some T1 window of the key. */
    private boolean mayCreate(KeyState key, long time) {
        long window = s.burst().burstWindowMs();
        long horizon = window + 2 * s.jitterMs() + 10;
        int near = 0;
        int kept = 0;
        // drops the creates beyond the horizon (anywhere: jitter leaves the times only roughly ordered), keeping order
        for (int i = 0; i < key.creates; i++) {
            long t = key.createTimes[i];
            if (t < time - horizon) {
                continue;
            }
            if (t >= time - window && t <= time + window) {
                near++;
            }
            key.createTimes[kept++] = t;
        }
        key.creates = kept;
        return near < s.burst().minCreates() - 1;
    }

    private OrderEvent create(KeyState key, long time) {
        if (key.creates == key.createTimes.length) {
            key.createTimes = Arrays.copyOf(key.createTimes, key.creates * 2);
        }
        key.createTimes[key.creates++] = time;
        String id = ids.get();
        long level = key.midLevel + rng.nextInt(17) - 8;
        Open o = new Open("o-" + id, s.burst().priceAt(level), rng.nextBoolean() ? Side.BUY : Side.SELL,
                1 + rng.nextInt(100) * 10L);
        if (key.open.size() >= MAX_OPEN) {
            key.open.pollFirst();
        }
        key.open.addLast(o);
        return new OrderEvent(id, key.account, key.symbol, OrderEventType.CREATED, o.orderId(), o.side(), o.price(),
                o.qty(), time);
    }

    private OrderEvent fill(KeyState key, long time) {
        Open o = key.open.isEmpty() ? null : key.open.pollFirst();
        String id = ids.get();
        if (o == null) {
            return new OrderEvent(id, key.account, key.symbol, OrderEventType.FILLED, "o-" + id, Side.BUY,
                    s.burst().priceAt(key.midLevel), 10, time);
        }
        return new OrderEvent(id, key.account, key.symbol, OrderEventType.FILLED, o.orderId(), o.side(), o.price(),
                o.qty(), time);
    }
}

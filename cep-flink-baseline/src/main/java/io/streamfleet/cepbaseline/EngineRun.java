package io.streamfleet.cepbaseline;

import io.streamfleet.cep.burst.BurstDetection;
import io.streamfleet.cep.burst.BurstPattern;
import io.streamfleet.cep.burst.BurstSettings;
import io.streamfleet.cep.burst.TrackedOrder;
import io.streamfleet.cep.engine.compile.CompiledPattern;
import io.streamfleet.cep.engine.pattern.Match;
import io.streamfleet.cep.engine.runtime.Advance;
import io.streamfleet.cep.engine.runtime.KeyState;
import io.streamfleet.cep.engine.runtime.Matcher;
import io.streamfleet.cep.engine.runtime.ProcessOutcome;
import io.streamfleet.contracts.event.OrderEvent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Our engine on the same path as cep-detector's engine-only benchmark: per event {@code process} into the key's
 * state, then {@code advanceTime} to the event's time (the stream is in event-time order, so nothing waits for a
 * lateness buffer), finally a flush at {@code Long.MAX_VALUE}. With {@code threads > 1} every thread scans the whole
 * stream and takes the keys of its hash partition, as a keyed exchange would hand them over. The timed part is the
 * loop and the flush; turning matches into {@link Detection}s happens after the clock stops.
 */
public final class EngineRun {

    private final BurstPattern burst;

    public EngineRun(BurstSettings settings) {
        this.burst = new BurstPattern(settings);
    }

    public RunResult run(OrderEvent[] events, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long started = System.nanoTime();
            long cpuStarted = ProcessCpu.nanos();
            List<Future<Partition>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int partition = t;
                futures.add(pool.submit(() -> runPartition(events, partition, threads)));
            }
            List<Partition> partitions = new ArrayList<>();
            for (Future<Partition> future : futures) {
                partitions.add(future.get());
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            double cpuSeconds = (ProcessCpu.nanos() - cpuStarted) / 1e9;
            List<Detection> detections = new ArrayList<>();
            long outOfOrder = 0;
            for (Partition p : partitions) {
                outOfOrder += p.outOfOrder();
                for (Match<TrackedOrder> match : p.matches()) {
                    detections.add(toDetection(burst.describe(match)));
                }
            }
            return new RunResult("ours, " + threads + (threads == 1 ? " thread" : " threads"), events.length,
                    seconds, seconds, cpuSeconds, detections, outOfOrder);
        } finally {
            pool.shutdownNow();
        }
    }

    private Partition runPartition(OrderEvent[] events, int partition, int partitions) {
        Matcher<TrackedOrder> matcher = new Matcher<>(CompiledPattern.compile(burst.pattern()));
        Map<String, KeyState<TrackedOrder>> states = new HashMap<>();
        List<Match<TrackedOrder>> matches = new ArrayList<>();
        long outOfOrder = 0;
        for (OrderEvent event : events) {
            String key = event.key();
            if (partitions > 1 && Math.floorMod(key.hashCode(), partitions) != partition) {
                continue;
            }
            KeyState<TrackedOrder> state = states.computeIfAbsent(key, k -> KeyState.empty());
            if (matcher.process(state, TrackedOrder.of(event)) == ProcessOutcome.OUT_OF_ORDER) {
                outOfOrder++;
            }
            Advance<TrackedOrder> advance = matcher.advanceTime(state, event.eventTimeMs());
            matches.addAll(advance.matches());
        }
        for (KeyState<TrackedOrder> state : states.values()) {
            matches.addAll(matcher.advanceTime(state, Long.MAX_VALUE).matches());
        }
        return new Partition(matches, outOfOrder);
    }

    private static Detection toDetection(BurstDetection d) {
        return new Detection(OrderEvent.keyOf(d.accountId(), d.symbol()), d.firstBurstEventId(), d.created(),
                d.canceled(), d.windowStartMs(), d.windowEndMs());
    }

    private record Partition(List<Match<TrackedOrder>> matches, long outOfOrder) {
    }
}

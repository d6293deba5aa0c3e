package io.streamfleet.bench.driver;

import io.streamfleet.bench.scenario.BenchEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Sends a scenario through a transport.
 * <ul>
 * <li><b>Open loop</b>: each request leaves at its intended time (the send time of its last event) whatever
 * happened to earlier ones, and its latency is measured from that intended time, so when the gateway falls behind
 * the queueing shows in the latency instead of being hidden by a slower send rate (coordinated omission). The
 * number of requests in flight is capped; waiting for the cap also counts as latency.</li>
 * <li><b>Closed loop</b>: a fixed number of requests in flight, the next one sent when one completes, as fast as the
 * gateway answers; latency from the actual send. This measures the maximum throughput.</li>
 * </ul>
 */
public final class LoadRunner {

    private final Transport transport;
    private final LoadStats stats;
    private final Semaphore slots;
    private final int maxInFlight;

    public LoadRunner(Transport transport, LoadStats stats, int maxInFlight) {
        this.transport = transport;
        this.stats = stats;
        this.maxInFlight = maxInFlight;
        this.slots = new Semaphore(maxInFlight);
    }

    /** Runs until the events are exhausted or {@code stop} says so; then waits for outstanding requests. */
    public void openLoop(Iterator<BenchEvent> events, long startNanos, BooleanSupplier stop, Duration drainTimeout) {
        while (events.hasNext() && !stop.getAsBoolean()) {
            List<BenchEvent> batch = nextBatch(events);
            long intended = startNanos + batch.get(batch.size() - 1).sendOffsetNanos();
            long wait;
            while ((wait = intended - System.nanoTime()) > 0) {
                LockSupport.parkNanos(Math.min(wait, 50_000_000L));
                if (stop.getAsBoolean()) {
                    break;
                }
            }
            acquire();
            send(batch, intended);
        }
        awaitOutstanding(drainTimeout);
    }

    /**
     * Sends back to back with {@code maxInFlight} outstanding requests until exhausted, stopped or out of time. Each
     * of the {@code maxInFlight} chains sends its next request from the completion of its previous one, on the
     * transport's own thread, as {@code wrk} does: no hand-off to a sender thread per request, which would make the
     * load generator, not the server, the limit.
     */
    public void closedLoop(Iterator<BenchEvent> events, BooleanSupplier stop, Duration drainTimeout) {
        for (int i = 0; i < maxInFlight; i++) {
            acquire();
            if (!sendNextInChain(events, stop)) {
                break;
            }
        }
        awaitOutstanding(drainTimeout);
    }

    /** Sends the next batch of a chain, whose slot is held; false (slot released) when the run is over. */
    private boolean sendNextInChain(Iterator<BenchEvent> events, BooleanSupplier stop) {
        List<BenchEvent> batch;
        synchronized (events) {
            batch = stop.getAsBoolean() || !events.hasNext() ? List.of() : nextBatch(events);
        }
        if (batch.isEmpty()) {
            slots.release();
            return false;
        }
        long sent = System.nanoTime();
        stats.sending(batch, sent);
        transport.send(batch).whenComplete((result, error) -> {
            SendResult outcome = error != null ? SendResult.failed(batch.size(), error) : result;
            stats.completed(batch, outcome, System.nanoTime() - sent);
            int depth = chainDepth.get();
            if (depth >= MAX_CHAIN_DEPTH) {
                // answers that come back at once (a failing transport) would otherwise nest without bound
                CompletableFuture.runAsync(() -> sendNextInChain(events, stop));
                return;
            }
            chainDepth.set(depth + 1);
            try {
                sendNextInChain(events, stop);
            } finally {
                chainDepth.set(depth);
            }
        });
        return true;
    }

    private static final int MAX_CHAIN_DEPTH = 32;
    private static final ThreadLocal<Integer> chainDepth = ThreadLocal.withInitial(() -> 0);

    private List<BenchEvent> nextBatch(Iterator<BenchEvent> events) {
        int size = transport.batchSize();
        List<BenchEvent> batch = new ArrayList<>(size);
        while (batch.size() < size && events.hasNext()) {
            batch.add(events.next());
        }
        return batch;
    }

    private void send(List<BenchEvent> batch, long latencyOriginNanos) {
        long sent = System.nanoTime();
        stats.sending(batch, sent);
        transport.send(batch).whenComplete((result, error) -> {
            SendResult outcome = error != null ? SendResult.failed(batch.size(), error) : result;
            stats.completed(batch, outcome, System.nanoTime() - latencyOriginNanos, sent - latencyOriginNanos);
            slots.release();
        });
    }

    private void acquire() {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a free request slot", e);
        }
    }

    private void awaitOutstanding(Duration timeout) {
        try {
            if (slots.tryAcquire(maxInFlight, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                slots.release(maxInFlight);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

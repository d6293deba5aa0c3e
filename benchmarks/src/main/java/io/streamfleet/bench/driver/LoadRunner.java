package io.streamfleet.bench.driver;

import io.streamfleet.bench.scenario.BenchEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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

    /** Sends back to back with {@code maxInFlight} outstanding requests until exhausted, stopped or out of time. */
    public void closedLoop(Iterator<BenchEvent> events, BooleanSupplier stop, Duration drainTimeout) {
        while (events.hasNext() && !stop.getAsBoolean()) {
            List<BenchEvent> batch = nextBatch(events);
            acquire();
            send(batch, System.nanoTime());
        }
        awaitOutstanding(drainTimeout);
    }

    private List<BenchEvent> nextBatch(Iterator<BenchEvent> events) {
        int size = transport.batchSize();
        List<BenchEvent> batch = new ArrayList<>(size);
        while (batch.size() < size && events.hasNext()) {
            batch.add(events.next());
        }
        return batch;
    }

    private void send(List<BenchEvent> batch, long latencyOriginNanos) {
        stats.sending(batch, System.nanoTime());
        transport.send(batch).whenComplete((result, error) -> {
            SendResult outcome = error != null ? SendResult.failed(batch.size(), error) : result;
            stats.completed(batch, outcome, System.nanoTime() - latencyOriginNanos);
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

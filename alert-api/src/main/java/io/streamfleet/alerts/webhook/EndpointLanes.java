package io.streamfleet.alerts.webhook;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * At most {@code limit} attempts in flight per endpoint (subscription); further attempts wait in arrival order. A
 * burst of alerts therefore reaches an endpoint as a bounded number of concurrent requests instead of thousands of
 * connections at once, which would overload it, time out and turn into needless retries.
 */
final class EndpointLanes {

    private final int limit;
    private final Executor executor;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();

    EndpointLanes(int limit, Executor executor) {
        if (limit < 1) {
            throw new IllegalArgumentException("max-concurrent-per-endpoint must be at least 1");
        }
        this.limit = limit;
        this.executor = executor;
    }

    /** Runs {@code task} once a slot of the endpoint is free; the task must run the release it is given once done. */
    void run(String endpoint, Consumer<Runnable> task) {
        Lane lane = lanes.computeIfAbsent(endpoint, id -> new Lane());
        boolean start;
        synchronized (lane) {
            start = lane.inFlight < limit;
            if (start) {
                lane.inFlight++;
            } else {
                lane.queue.add(task);
                waiting.incrementAndGet();
            }
        }
        if (start) {
            start(lane, task);
        }
    }

    /** Attempts waiting for a free slot, over all endpoints. */
    int waiting() {
        return waiting.get();
    }

    private void start(Lane lane, Consumer<Runnable> task) {
        AtomicBoolean released = new AtomicBoolean();
        try {
            task.accept(() -> {
                if (released.compareAndSet(false, true)) {
                    release(lane);
                }
            });
        } catch (RuntimeException e) {
            if (released.compareAndSet(false, true)) {
                release(lane);
            }
            throw e;
        }
    }

    private void release(Lane lane) {
        Consumer<Runnable> next;
        synchronized (lane) {
            next = lane.queue.poll();
            if (next == null) {
                lane.inFlight--;
            }
        }
        if (next != null) {
            waiting.decrementAndGet();
            executor.execute(() -> start(lane, next));
        }
    }

    private static final class Lane {
        private int inFlight;
        private final ArrayDeque<Consumer<Runnable>> queue = new ArrayDeque<>();
    }
}

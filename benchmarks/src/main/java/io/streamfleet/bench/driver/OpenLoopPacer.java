package io.streamfleet.bench.driver;

import io.streamfleet.bench.scenario.BenchEvent;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The open loop's send schedule, run as a task on one thread (the HTTP client's own event loop when the transport has
 * one). Each run sends every request whose intended time has come, oldest first, then schedules itself for the next
 * intended time: one wake-up serves all requests that fell due together, no thread hands a request to another, and a
 * late wake-up (a busy loop, a pause) sends the overdue requests at once instead of shifting the schedule. A request
 * never leaves before its intended time. When {@code slots} (the in-flight cap) are all taken, the due request waits
 * and is retried after {@link #CAP_RETRY_NANOS}; that wait is part of its latency, which the {@link Dispatch} measures
 * from the intended time.
 */
final class OpenLoopPacer implements Runnable {

    /** How the pacer sends: {@code intendedNanos} is the latency origin, {@code sentNanos} the hand-over. */
    interface Dispatch {
        void send(List<BenchEvent> batch, long intendedNanos, long sentNanos);
    }

    /** Runs a task on the pacing thread after a delay. */
    interface Scheduler {
        void schedule(Runnable task, long delayNanos);
    }

    /** Re-check of a full in-flight cap: short against any latency worth reporting, long against a busy spin. */
    static final long CAP_RETRY_NANOS = 100_000L;

    private final Iterator<BenchEvent> events;
    private final int batchSize;
    private final long startNanos;
    private final BooleanSupplier stop;
    private final Semaphore slots;
    private final Dispatch dispatch;
    private final Scheduler scheduler;
    private final LongSupplier clock;
    private final CountDownLatch finished = new CountDownLatch(1);

    private List<BenchEvent> pending;
    private long pendingIntended;

    OpenLoopPacer(Iterator<BenchEvent> events, int batchSize, long startNanos, BooleanSupplier stop, Semaphore slots,
                  Dispatch dispatch, Scheduler scheduler, LongSupplier clock) {
        this.events = events;
        this.batchSize = batchSize;
        this.startNanos = startNanos;
        this.stop = stop;
        this.slots = slots;
        this.dispatch = dispatch;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /** Counts down once the last request has been handed over (or the run was stopped). */
    CountDownLatch finished() {
        return finished;
    }

    @Override
    public void run() {
        try {
            long now = clock.getAsLong();
            while (true) {
                if (stop.getAsBoolean()) {
                    finished.countDown();
                    return;
                }
                if (pending == null) {
                    if (!events.hasNext()) {
                        finished.countDown();
                        return;
                    }
                    pending = nextBatch();
                    pendingIntended = startNanos + pending.get(pending.size() - 1).sendOffsetNanos();
                }
                if (pendingIntended > now) {
                    now = clock.getAsLong();
                    if (pendingIntended > now) {
                        scheduler.schedule(this, pendingIntended - now);
                        return;
                    }
                }
                if (!slots.tryAcquire()) {
                    scheduler.schedule(this, CAP_RETRY_NANOS);
                    return;
                }
                List<BenchEvent> batch = pending;
                pending = null;
                dispatch.send(batch, pendingIntended, now);
                now = clock.getAsLong();
            }
        } catch (RuntimeException | Error e) {
            // a failing iterator or scheduler must not leave openLoop waiting for ever
            finished.countDown();
            throw e;
        }
    }

    private List<BenchEvent> nextBatch() {
        if (batchSize == 1) {
            return List.of(events.next());
        }
        List<BenchEvent> batch = new ArrayList<>(batchSize);
        while (batch.size() < batchSize && events.hasNext()) {
            batch.add(events.next());
        }
        return batch;
    }
}

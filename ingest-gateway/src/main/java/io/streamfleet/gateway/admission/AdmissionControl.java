package io.streamfleet.gateway.admission;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Keeps the state the {@link AdmissionLimits admission rule} reads: every admitted publish until it is answered, in
 * admission order, and the number of events they hold. Thread-safe; admitting and releasing cost a skip-list insert
 * and removal (a few hundred publishes are in flight at most).
 */
public final class AdmissionControl {

    private final AdmissionLimits limits;
    private final LongSupplier nanoTime;
    private final ConcurrentSkipListMap<Long, Long> admittedAt = new ConcurrentSkipListMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong inFlightEvents = new AtomicLong();

    /** @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime} outside tests) */
    public AdmissionControl(AdmissionLimits limits, LongSupplier nanoTime) {
        this.limits = limits;
        this.nanoTime = nanoTime;
    }

    public AdmissionLimits limits() {
        return limits;
    }

    /** Would any publish be admitted now? Reads the signals without admitting anything. */
    public AdmissionVerdict check() {
        return check(Long.MIN_VALUE);
    }

    /**
     * Would a publish of a request received at {@code receivedNanos} be admitted now? Reads the signals without
     * admitting anything.
     */
    public AdmissionVerdict check(long receivedNanos) {
        long now = nanoTime.getAsLong();
        return limits.judge(waitedNanos(receivedNanos, now), oldestAgeNanos(now), inFlightEvents.get(), 0);
    }

    /** How long a request received at {@code receivedNanos} has waited, at {@code now}; 0 when unknown. */
    public long waitedMillis(long receivedNanos) {
        return waitedNanos(receivedNanos, nanoTime.getAsLong()) / 1_000_000;
    }

    private static long waitedNanos(long receivedNanos, long now) {
        return receivedNanos == Long.MIN_VALUE ? 0 : Math.max(0, now - receivedNanos);
    }

    /**
     * Admits a publish of {@code events} events, or says why not. The events cap is kept exactly under concurrent
     * callers (compare-and-set); the age is read once per call.
     */
    public Admission tryAdmit(int events) {
        return tryAdmit(events, Long.MIN_VALUE);
    }

    /**
     * @param receivedNanos when the request reached the gateway, on this control's clock; {@code Long.MIN_VALUE}
     *                      when unknown (its wait is then not judged)
     */
    public Admission tryAdmit(int events, long receivedNanos) {
        long now = nanoTime.getAsLong();
        long age = oldestAgeNanos(now);
        long waited = waitedNanos(receivedNanos, now);
        while (true) {
            long current = inFlightEvents.get();
            AdmissionVerdict verdict = limits.judge(waited, age, current, events);
            if (!verdict.admitted()) {
                return new Admission(verdict, null);
            }
            if (inFlightEvents.compareAndSet(current, current + events)) {
                long id = sequence.incrementAndGet();
                admittedAt.put(id, now);
                return new Admission(verdict, new Ticket(id, now, events));
            }
        }
    }

    /** Age of the oldest admitted publish not yet answered, in milliseconds; 0 when none is. */
    public long oldestAgeMillis() {
        return oldestAgeNanos(nanoTime.getAsLong()) / 1_000_000;
    }

    /** Events admitted and not yet answered. */
    public long inFlightEvents() {
        return inFlightEvents.get();
    }

    private long oldestAgeNanos(long now) {
        Map.Entry<Long, Long> oldest = admittedAt.firstEntry();
        return oldest == null ? 0 : Math.max(0, now - oldest.getValue());
    }

    /** The rule's verdict and, when admitted, the ticket to release once the publish is answered. */
    public record Admission(AdmissionVerdict verdict, Ticket ticket) {
    }

    /** One admitted publish. {@link #release()} it exactly when it is answered (or abandoned); later calls are no-ops. */
    public final class Ticket {
        private final long id;
        private final long admittedNanos;
        private final int events;
        private final AtomicBoolean released = new AtomicBoolean();

        private Ticket(long id, long admittedNanos, int events) {
            this.id = id;
            this.admittedNanos = admittedNanos;
            this.events = events;
        }

        /** Ends the hold; returns how long it lasted in nanoseconds (at the first call; -1 at later ones). */
        public long release() {
            if (!released.compareAndSet(false, true)) {
                return -1;
            }
            admittedAt.remove(id);
            inFlightEvents.addAndGet(-events);
            return nanoTime.getAsLong() - admittedNanos;
        }
    }
}

package io.streamfleet.cep.operator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The detector's Micrometer meters ({@code streamfleet.cep.*}). Gauges sum the latest snapshot each stream task
 * reported at the end of its punctuation.
 */
public final class CepMetrics {

    /** What one task holds right now. */
    record TaskSnapshot(long keys, long retainedEvents, long awaitingEvents, long pendingCandidates, long watermarkMs) {
    }

    private final Map<String, TaskSnapshot> tasks = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Counter buffered;
    private final Counter duplicates;
    private final Counter invalid;
    private final Counter late;
    private final Counter alerts;
    private final Timer evaluation;

    public CepMetrics(MeterRegistry registry) {
        this(registry, Clock.systemUTC());
    }

    public CepMetrics(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        this.buffered = events(registry, "buffered");
        this.duplicates = events(registry, "duplicate");
        this.invalid = events(registry, "invalid");
        this.late = Counter.builder("streamfleet.cep.late.events")
                .description("Orders behind the detector's watermark, sent to orders.cep.late").register(registry);
        this.alerts = Counter.builder("streamfleet.cep.alerts")
                .description("Burst-create / mass-cancel alerts emitted").register(registry);
        this.evaluation = Timer.builder("streamfleet.cep.evaluation")
                .description("Time of one punctuation: drain, match, write back")
                .publishPercentileHistogram().register(registry);
        gauge(registry, "streamfleet.cep.keys", "Keys (account|symbol) holding matcher state", TaskSnapshot::keys);
        gauge(registry, "streamfleet.cep.buffered.events", "Events held: awaiting the watermark plus inside the horizon",
                s -> s.retainedEvents() + s.awaitingEvents());
        gauge(registry, "streamfleet.cep.pending.candidates", "Anchored candidates waiting for their deadline",
                TaskSnapshot::pendingCandidates);
        Gauge.builder("streamfleet.cep.watermark.lag.ms", this, CepMetrics::watermarkLagMs)
                .description("Wall-clock time minus the oldest task watermark").register(registry);
    }

    private static Counter events(MeterRegistry registry, String outcome) {
        return Counter.builder("streamfleet.cep.events").tag("outcome", outcome)
                .description("Orders received by the detector, by outcome").register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<TaskSnapshot> f) {
        Gauge.builder(name, tasks, m -> m.values().stream().mapToDouble(f).sum())
                .description(description).register(registry);
    }

    private double watermarkLagMs() {
        long oldest = tasks.values().stream().mapToLong(TaskSnapshot::watermarkMs)
                .filter(w -> w != Long.MIN_VALUE).min().orElse(Long.MIN_VALUE);
        return oldest == Long.MIN_VALUE ? 0 : Math.max(0, clock.millis() - oldest);
    }

    void buffered() {
        buffered.increment();
    }

    void duplicate() {
        duplicates.increment();
    }

    void invalid() {
        invalid.increment();
    }

    void late() {
        late.increment();
    }

    void alert() {
        alerts.increment();
    }

    void evaluationNanos(long nanos) {
        evaluation.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    void report(String task, TaskSnapshot snapshot) {
        tasks.put(task, snapshot);
    }

    void forget(String task) {
        tasks.remove(task);
    }
}

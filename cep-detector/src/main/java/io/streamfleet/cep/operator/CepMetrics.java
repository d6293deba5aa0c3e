package io.streamfleet.cep.operator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.streamfleet.support.processor.TaskSnapshots;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The detector's Micrometer meters ({@code streamfleet.cep.*}). Gauges sum (or take the oldest of) the latest
 * snapshot each stream task reported after its last evaluation or metrics punctuation; progress meters are tagged
 * with the input topic, the per-task stream time also with the task.
 */
public final class CepMetrics {

    /** What one task holds right now; times are {@link Long#MIN_VALUE} while unknown. */
    record TaskSnapshot(long keys, long retainedEvents, long awaitingEvents, long pendingCandidates, long watermarkMs,
                        long streamTimeMs) {
    }

    private final MeterRegistry registry;
    private final String inputTopic;
    private final TaskSnapshots<TaskSnapshot> tasks = new TaskSnapshots<>();
    private final Map<String, Gauge> streamTimeGauges = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Counter buffered;
    private final Counter duplicates;
    private final Counter invalid;
    private final Counter late;
    private final Counter alerts;
    private final Counter evidenceOrders;
    private final Counter evidenceTruncated;
    private final Counter progressMarks;
    private final Counter progressInvalid;
    private final Timer evaluation;
    private final Counter keyStatesByReference;
    private final Counter keyStatesFull;
    private final Counter bufferExpired;

    public CepMetrics(MeterRegistry registry, String inputTopic) {
        this(registry, Clock.systemUTC(), inputTopic);
    }

    public CepMetrics(MeterRegistry registry, Clock clock, String inputTopic) {
        this.registry = registry;
        this.inputTopic = inputTopic;
        this.clock = clock;
        this.buffered = events(registry, "buffered");
        this.duplicates = events(registry, "duplicate");
        this.invalid = events(registry, "invalid");
        this.late = Counter.builder("streamfleet.cep.late.events")
                .description("Orders behind the detector's watermark, sent to orders.cep.late").register(registry);
        this.alerts = Counter.builder("streamfleet.cep.alerts")
                .description("Burst-create / mass-cancel alerts emitted").register(registry);
        this.evidenceOrders = Counter.builder("streamfleet.cep.evidence.orders")
                .description("Matched orders written to alerts.evidence (after the per-alert cap)").register(registry);
        this.evidenceTruncated = Counter.builder("streamfleet.cep.evidence.truncated")
                .description("Alerts whose evidence was sampled down to the per-alert cap").register(registry);
        this.progressMarks = Counter.builder("streamfleet.cep.progress.marks").tag("topic", inputTopic)
                .description("Progress records (stream-time marks of stream-processor) read").register(registry);
        this.progressInvalid = Counter.builder("streamfleet.cep.progress.invalid").tag("topic", inputTopic)
                .tag("reason", "malformed")
                .description("Progress records with missing or malformed headers, skipped").register(registry);
        this.evaluation = Timer.builder("streamfleet.cep.evaluation")
                .description("Time of one evaluation: drain, match, write back")
                .publishPercentileHistogram().register(registry);
        this.keyStatesByReference = keyStateWrites(registry, "reference");
        this.keyStatesFull = keyStateWrites(registry, "full");
        this.bufferExpired = Counter.builder("streamfleet.cep.buffer.expired.chunks")
                .description("cep-buffer entries deleted once the watermark passed them by the matcher's retention")
                .register(registry);
        gauge(registry, "streamfleet.cep.keys", "Keys (account|symbol) holding matcher state", TaskSnapshot::keys);
        gauge(registry, "streamfleet.cep.buffered.events", "Events held: awaiting the watermark plus inside the horizon",
                s -> s.retainedEvents() + s.awaitingEvents());
        gauge(registry, "streamfleet.cep.pending.candidates", "Anchored candidates waiting for their deadline",
                TaskSnapshot::pendingCandidates);
        Gauge.builder("streamfleet.cep.watermark.lag.ms", this, m -> m.lagMs(TaskSnapshot::watermarkMs))
                .description("Wall-clock time minus the oldest task watermark").register(registry);
        Gauge.builder("streamfleet.cep.stream.time.lag.ms", this, m -> m.lagMs(TaskSnapshot::streamTimeMs))
                .tag("topic", inputTopic)
                .description("Wall-clock time minus the oldest task stream time (moved by data and progress marks)")
                .register(registry);
    }

    private static Counter events(MeterRegistry registry, String outcome) {
        return Counter.builder("streamfleet.cep.events").tag("outcome", outcome)
                .description("Orders received by the detector, by outcome").register(registry);
    }

    private static Counter keyStateWrites(MeterRegistry registry, String layout) {
        return Counter.builder("streamfleet.cep.key.state.writes").tag("layout", layout)
                .description("Key states written to cep-key-state: by reference to the buffered orders, or with their"
                        + " events (only while older than what the buffer holds)").register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<TaskSnapshot> f) {
        tasks.sumGauge(name, f).description(description).register(registry);
    }

    private double lagMs(ToLongFunction<TaskSnapshot> time) {
        return tasks.lagMs(clock, time);
    }

    private double streamTimeOf(String task) {
        TaskSnapshot snapshot = tasks.get(task);
        return snapshot == null || snapshot.streamTimeMs() == Long.MIN_VALUE ? Double.NaN : snapshot.streamTimeMs();
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

    Counter late() {
        return late;
    }

    void alert() {
        alerts.increment();
    }

    void evidence(int orders, boolean truncated) {
        evidenceOrders.increment(orders);
        if (truncated) {
            evidenceTruncated.increment();
        }
    }

    Counter progressMarks() {
        return progressMarks;
    }

    Counter progressInvalid() {
        return progressInvalid;
    }

    void keyStateWritten(boolean byReference) {
        (byReference ? keyStatesByReference : keyStatesFull).increment();
    }

    void bufferExpired(int entries) {
        bufferExpired.increment(entries);
    }

    void evaluationNanos(long nanos) {
        evaluation.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    void report(String task, TaskSnapshot snapshot) {
        tasks.report(task, snapshot);
        streamTimeGauges.computeIfAbsent(task, t -> Gauge.builder("streamfleet.cep.stream.time.ms", this,
                        m -> m.streamTimeOf(t)).tag("topic", inputTopic).tag("task", t)
                .description("The task's stream time (epoch ms): its partition's event time").register(registry));
    }

    /** A closed task leaves the sums and its own gauge goes; {@code null} (closed before init) is ignored. */
    void forget(String task) {
        if (task == null) {
            return;
        }
        tasks.forget(task);
        // only the detector has a per-task gauge (its stream time per partition): the others only aggregate
        Gauge gauge = streamTimeGauges.remove(task);
        if (gauge != null) {
            registry.remove(gauge);
        }
    }
}

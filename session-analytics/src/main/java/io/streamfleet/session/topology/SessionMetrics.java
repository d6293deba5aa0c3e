package io.streamfleet.session.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamfleet.support.processor.TaskSnapshots;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The service's Micrometer meters ({@code streamfleet.session.*}). Gauges sum the latest snapshot each stream task
 * reported; a task that is closed (revoked on a rebalance) takes its snapshot with it.
 */
public final class SessionMetrics {

    /** What one task holds right now. */
    record TaskSnapshot(long openSessions, long baselines, long streamTimeMs) {
    }

    /** Progress records read from one input topic: marks applied, and malformed ones skipped. */
    record ProgressMeters(Counter marks, Counter malformed) {
    }

    private final TaskSnapshots<TaskSnapshot> tasks = new TaskSnapshots<>();
    private final Map<String, ProgressMeters> progress = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private final Clock clock;
    private final Counter accepted;
    private final Counter invalid;
    private final Counter late;
    private final Counter merges;
    private final Counter closed;
    private final Counter alerts;
    private final DistributionSummary sessionEvents;

    public SessionMetrics(MeterRegistry registry) {
        this(registry, Clock.systemUTC());
    }

    public SessionMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.accepted = events(registry, "accepted");
        this.invalid = events(registry, "invalid");
        this.late = Counter.builder("streamfleet.session.late.events")
                .description("Engagement events behind stream time by more than the grace, sent to engagement.late")
                .register(registry);
        this.merges = Counter.builder("streamfleet.session.merges")
                .description("Open sessions joined into one by an event that bridged their gap").register(registry);
        this.closed = Counter.builder("streamfleet.session.closed")
                .description("Sessions closed and published to engagement.sessions").register(registry);
        this.alerts = Counter.builder("streamfleet.session.alerts")
                .description("Engagement-drop alerts emitted to alerts.engagement").register(registry);
        this.sessionEvents = DistributionSummary.builder("streamfleet.session.events.per.session")
                .description("Events in each closed session").register(registry);
        gauge(registry, "streamfleet.session.open", "Sessions open (not yet closed) in this instance",
                TaskSnapshot::openSessions);
        gauge(registry, "streamfleet.session.baselines", "Users with a baseline in this instance's stores",
                TaskSnapshot::baselines);
        Gauge.builder("streamfleet.session.stream.time.lag.ms", this, SessionMetrics::streamTimeLagMs)
                .description("Wall-clock time minus the oldest task's stream time (moved only by data and progress records)")
                .register(registry);
    }

    private static Counter events(MeterRegistry registry, String outcome) {
        return Counter.builder("streamfleet.session.events").tag("outcome", outcome)
                .description("Engagement events received, by outcome").register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<TaskSnapshot> f) {
        tasks.sumGauge(name, f).description(description).register(registry);
    }

    private double streamTimeLagMs() {
        return tasks.lagMs(clock, TaskSnapshot::streamTimeMs);
    }

    /** The progress meters of {@code topic}, registered on first use. */
    ProgressMeters progress(String topic) {
        return progress.computeIfAbsent(topic, t -> new ProgressMeters(
                Counter.builder("streamfleet.session.progress.marks").tag("topic", t)
                        .description("Progress records read from the input topic (stream-processor's stream-time marks)")
                        .register(registry),
                Counter.builder("streamfleet.session.progress.invalid").tag("topic", t).tag("reason", "malformed")
                        .description("Progress records skipped because a header was missing or malformed")
                        .register(registry)));
    }

    void accepted() {
        accepted.increment();
    }

    void invalid() {
        invalid.increment();
    }

    Counter late() {
        return late;
    }

    void merged(int sessions) {
        merges.increment(sessions);
    }

    void closed(long eventsInSession) {
        closed.increment();
        sessionEvents.record(eventsInSession);
    }

    void alert() {
        alerts.increment();
    }

    void report(String task, TaskSnapshot snapshot) {
        tasks.report(task, snapshot);
    }

    /** {@code null} (a task closed before init) is ignored. */
    void forget(String task) {
        tasks.forget(task);
    }
}

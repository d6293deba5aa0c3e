package io.streamfleet.gateway.publishing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.streamfleet.gateway.admission.AdmissionControl;
import io.streamfleet.gateway.admission.AdmissionVerdict;
import io.streamfleet.gateway.intake.EventKind;
import io.streamfleet.gateway.intake.ItemResult;
import io.streamfleet.gateway.intake.PublishFailure;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** The gateway's own meters ({@code streamfleet.gateway.*}); names are listed in docs/ingest-gateway.md. */
public final class GatewayMetrics {

    public static final String HTTP = "http";
    public static final String WEBSOCKET = "ws";

    private static final Duration[] LATENCY_SLOS = {
            Duration.ofMillis(1), Duration.ofMillis(3), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(15), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5)};

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> batchSizes = new ConcurrentHashMap<>();
    /** The publish-latency timer per lane and kind once looked up: it is recorded once per event. */
    private final Timer[][] publishTimers = new Timer[PublishLane.values().length][EventKind.values().length];
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicInteger webSocketConnections = new AtomicInteger();

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("streamfleet.gateway.inflight.events", inFlight, AtomicLong::get)
                .description("Events sent to Kafka and not yet acknowledged or failed").register(registry);
        Gauge.builder("streamfleet.gateway.websocket.connections", webSocketConnections, AtomicInteger::get)
                .description("Open WebSocket ingestion connections").register(registry);
    }

    public AtomicLong inFlight() {
        return inFlight;
    }

    public AtomicInteger webSocketConnections() {
        return webSocketConnections;
    }

    /** Counts one event's final result by kind, status and reason. */
    public void result(ItemResult result, String channel) {
        String kind = result.kind() == null ? "unknown" : result.kind().wireName();
        switch (result.status()) {
            case ACCEPTED -> counter("streamfleet.gateway.events.accepted", "kind", kind, "channel", channel)
                    .increment();
            case REJECTED -> counter("streamfleet.gateway.events.rejected", "kind", kind, "channel", channel,
                    "reason", result.reason()).increment();
            case UNAVAILABLE -> counter("streamfleet.gateway.events.unavailable", "kind", kind, "channel", channel,
                    "reason", result.reason()).increment();
        }
    }

    /** Counts {@code count} accepted events of one kind at once (the same counter {@link #result} increments). */
    public void accepted(EventKind kind, String channel, long count) {
        counter("streamfleet.gateway.events.accepted", "kind", kind.wireName(), "channel", channel).increment(count);
    }

    /** Counts a request (or frame) refused as a whole: limits, content type, auth, rate. */
    public void refused(String reason, String channel) {
        counter("streamfleet.gateway.requests.refused", "reason", reason, "channel", channel).increment();
    }

    public void batchSize(int events, String channel) {
        batchSizes.computeIfAbsent(channel, c -> DistributionSummary.builder("streamfleet.gateway.batch.size")
                .description("Events per request or WebSocket frame").baseUnit("events").tag("channel", c)
                .serviceLevelObjectives(1, 10, 100, 500, 1000, 5000).register(registry)).record(events);
    }

    /** Request received → response decided (after every covered Kafka ack), by HTTP status. */
    public void requestLatency(String channel, int status, long nanos) {
        timers.computeIfAbsent(channel + "|" + status, k -> Timer.builder("streamfleet.gateway.request.latency")
                .description("Time from receiving a request to answering it, Kafka acks included")
                .tag("channel", channel).tag("status", Integer.toString(status))
                .publishPercentileHistogram().serviceLevelObjectives(LATENCY_SLOS)
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** send() → broker acknowledgement of one event, by the producer (lane) that carried it. */
    public void publishLatency(PublishLane lane, EventKind kind, long nanos) {
        Timer timer = publishTimers[lane.ordinal()][kind.ordinal()];
        if (timer == null) {
            timer = publishTimer(lane, kind);
            // a race registers nothing twice: the map below holds the one timer
            publishTimers[lane.ordinal()][kind.ordinal()] = timer;
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer publishTimer(PublishLane lane, EventKind kind) {
        return timers.computeIfAbsent("publish|" + lane + "|" + kind, k -> Timer.builder(
                        "streamfleet.gateway.publish.latency")
                .description("Time from handing an event to the producer to the broker's acknowledgement")
                .tag("kind", kind.wireName()).tag("lane", lane.tag())
                .publishPercentileHistogram().serviceLevelObjectives(LATENCY_SLOS)
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry));
    }

    /** Counts an error reported by the producer, by failure and exception type. */
    public void publishError(PublishFailure failure, Throwable error) {
        counter("streamfleet.gateway.publish.errors", "reason", failure.tag(), "exception",
                error.getClass().getSimpleName()).increment();
    }

    /** Counts a publish (request or WebSocket message) the admission rule refused, by the signal that refused it. */
    public void admissionRefused(AdmissionVerdict verdict) {
        counter("streamfleet.gateway.admission.refused", "reason", verdict.tag()).increment();
    }

    /** Admission → Kafka's answer for every event of an admitted publish; {@code acked} when all were acknowledged. */
    public void hold(boolean acked, long nanos) {
        timers.computeIfAbsent("hold|" + acked, k -> Timer.builder("streamfleet.gateway.admission.hold")
                .description("Time an admitted publish was held: admission to Kafka's answer for all its events")
                .tag("outcome", acked ? "acked" : "failed")
                .publishPercentileHistogram().serviceLevelObjectives(LATENCY_SLOS)
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The admission rule's two signals as gauges, and its max-hold as a constant for dashboards to draw against. */
    public void admission(AdmissionControl admission) {
        Gauge.builder("streamfleet.gateway.admission.oldest.age.ms", admission, AdmissionControl::oldestAgeMillis)
                .description("Age of the oldest admitted publish not yet answered by Kafka, ms (0 when none)")
                .register(registry);
        Gauge.builder("streamfleet.gateway.admission.inflight.events", admission, AdmissionControl::inFlightEvents)
                .description("Events admitted and not yet answered (capped by publish.max-in-flight-events)")
                .register(registry);
        Gauge.builder("streamfleet.gateway.admission.max.hold.ms", admission,
                        a -> a.limits().maxHold().toMillis())
                .description("publish.max-hold: admission refuses new publishes from half of it").register(registry);
        // every refusal reason from the start, at 0: the overload panels show "none" rather than "no data"
        for (AdmissionVerdict verdict : AdmissionVerdict.values()) {
            if (!verdict.admitted()) {
                counter("streamfleet.gateway.admission.refused", "reason", verdict.tag());
            }
        }
    }

    /** The HTTP server's event-loop lag (the longest of its workers), ms: how long a request may wait unread. */
    public void eventLoopLag(LongSupplier lagMs) {
        Gauge.builder("streamfleet.gateway.event.loop.lag.ms", lagMs, LongSupplier::getAsLong)
                .description("How far the most delayed HTTP event loop is behind, ms: about how long a request may "
                        + "wait unread in its socket; admission counts it in the request's age").register(registry);
    }

    /**
     * Counts progress marks (clock and leaving) the broker acknowledged ({@code sent}) or did not ({@code failed}),
     * by the producer (lane) that wrote them.
     */
    public void progressMarks(PublishLane lane, String topic, boolean sent, long marks) {
        counter("streamfleet.gateway.progress.marks", "topic", topic, "outcome", sent ? "sent" : "failed",
                "lane", lane.tag()).increment(marks);
    }

    /** Milliseconds since the newest progress mark the broker acknowledged was written, per producer (lane). */
    public void progressAckAge(PublishLane lane, LongSupplier ageMs) {
        Gauge.builder("streamfleet.gateway.progress.ack.age.ms", ageMs, LongSupplier::getAsLong)
                .description("Milliseconds since the newest acknowledged progress mark was written")
                .tag("lane", lane.tag())
                .strongReference(true)
                .register(registry);
    }

    private Counter counter(String name, String... tags) {
        String id = name + String.join("|", tags);
        return counters.computeIfAbsent(id, k -> Counter.builder(name).tags(tags).register(registry));
    }
}

package io.streamfleet.alerts.feed;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Feed meters: connected clients, events pushed, resumes, disconnects by reason, ingestion → SSE send latency. */
public final class FeedMetrics {

    private final AtomicInteger clients = new AtomicInteger();
    private final Counter sent;
    private final Counter resumes;
    private final Counter replayed;
    private final MeterRegistry registry;
    private final Timer e2e;

    public FeedMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("streamfleet.alerts.sse.clients", clients);
        sent = Counter.builder("streamfleet.alerts.sse.events.sent").description("Alert events written to SSE clients")
                .register(registry);
        replayed = Counter.builder("streamfleet.alerts.sse.events.replayed")
                .description("Alert events read back from Kafka for resuming clients").register(registry);
        resumes = Counter.builder("streamfleet.alerts.sse.resumes")
                .description("SSE connections resuming from a Last-Event-ID").register(registry);
        e2e = endToEnd(registry, "sse");
    }

    /** The end-to-end latency timer (gateway ingestion header → delivery) for one channel. */
    public static Timer endToEnd(MeterRegistry registry, String channel) {
        return Timer.builder("streamfleet.alerts.e2e.latency")
                .description("From the source event's gateway ingestion to the alert's delivery")
                .tag("channel", channel)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry);
    }

    void connected(boolean resume) {
        clients.incrementAndGet();
        if (resume) {
            resumes.increment();
        }
    }

    void disconnected(String reason) {
        clients.decrementAndGet();
        Counter.builder("streamfleet.alerts.sse.disconnects").tag("reason", reason)
                .description("SSE connections ended, by reason").register(registry).increment();
    }

    void sent(boolean live, long ingestedAtMs) {
        sent.increment();
        if (!live) {
            replayed.increment();
        } else if (ingestedAtMs > 0) {
            e2e.record(Math.max(0, System.currentTimeMillis() - ingestedAtMs), TimeUnit.MILLISECONDS);
        }
    }

    public int clients() {
        return clients.get();
    }
}

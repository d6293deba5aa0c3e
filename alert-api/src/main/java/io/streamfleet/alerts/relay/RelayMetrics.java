package io.streamfleet.alerts.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.atomic.AtomicLong;

/** The meters of one relay, all tagged {@code relay=<name>}. */
public final class RelayMetrics {

    private final Counter sent;
    private final Counter failed;
    private final Counter filtered;
    private final Counter unreadable;
    private final AtomicLong lag = new AtomicLong();

    public RelayMetrics(String relay, MeterRegistry registry) {
        sent = Counter.builder("streamfleet.relay.sent").tag("relay", relay)
                .description("Alerts the relay's destination confirmed").register(registry);
        failed = Counter.builder("streamfleet.relay.failed").tag("relay", relay)
                .description("Send attempts that failed (the alert is retried, not dropped)").register(registry);
        filtered = Counter.builder("streamfleet.relay.skipped").tag("relay", relay).tag("reason", "filtered")
                .description("Alert records not relayed").register(registry);
        unreadable = Counter.builder("streamfleet.relay.skipped").tag("relay", relay).tag("reason", "unreadable")
                .description("Alert records not relayed").register(registry);
        Gauge.builder("streamfleet.relay.lag", lag, AtomicLong::get).tag("relay", relay)
                .description("Alert records not yet read by the relay (sum over its partitions)").register(registry);
    }

    void sent() {
        sent.increment();
    }

    void failed() {
        failed.increment();
    }

    void filtered() {
        filtered.increment();
    }

    void unreadable() {
        unreadable.increment();
    }

    void lag(long records) {
        lag.set(records);
    }
}

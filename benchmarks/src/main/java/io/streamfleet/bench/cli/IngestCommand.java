package io.streamfleet.bench.cli;

import io.streamfleet.bench.driver.HttpTransport;
import io.streamfleet.bench.driver.LoadRunner;
import io.streamfleet.bench.driver.LoadStats;
import io.streamfleet.bench.driver.MillisecondTicks;
import io.streamfleet.bench.driver.Transport;
import io.streamfleet.bench.driver.WebSocketTransport;
import io.streamfleet.bench.scenario.BenchEvent;
import io.streamfleet.bench.scenario.EventTag;
import io.streamfleet.bench.scrape.GatewayView;
import io.streamfleet.bench.scrape.PrometheusText;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code fleet-bench ingest}: the gateway's ingest rate and latency alone, nothing downstream. Order events (the shape
 * of {@code benchmarks/wrk/orders.lua}, a unique eventId each) go over one driver, closed loop ({@code --concurrency}
 * requests in flight) or open loop (a fixed {@code --rate}, latency from each request's intended send time). The run
 * warms up first, in windows of {@link #WINDOW}, until two windows in a row agree (closed loop: rate within 10 %; open
 * loop: both at 95 % of the offered rate or more; and p50 within 20 % or 0.2 ms), not before {@code --min-warm-up},
 * or until {@code --max-warm-up} has passed;
 * only the {@code --duration} after it is scored, and the report says how long the warm-up took and shows every
 * window. In open loop the report splits the latency into the driver's own lag and the service time, and says whether
 * any request had to wait for a connection. {@code --metrics URL} (the gateway's {@code /actuator/prometheus}) adds
 * the gateway's own account of the scored phase beside the client's. {@code --await-ready URL} (a readiness endpoint)
 * prepares the client, waits until the URL answers 200, and starts the first window at once: the windows then show a
 * freshly started gateway's warm-up from the moment it reported ready.
 */
public final class IngestCommand {

    static final Duration WINDOW = Duration.ofSeconds(5);

    static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("gateway", "http://localhost:8080");
        d.put("api-key", "");
        d.put("api-key-file", ".fleet/dev-api-key");
        d.put("driver", "http-single");
        d.put("mode", "closed");
        d.put("rate", "5000");
        d.put("concurrency", "16");
        d.put("batch-size", "auto");
        d.put("ws-connections", "4");
        d.put("client-threads", "1");
        d.put("warm-up", "auto");
        d.put("min-warm-up", "0s");
        d.put("max-warm-up", "120s");
        d.put("duration", "30s");
        d.put("timeout", "30s");
        d.put("retries", Integer.toString(LoadRunner.DEFAULT_RESENDS));
        d.put("metrics", "");
        d.put("await-ready", "");
        d.put("schedule", "even");
        return Map.copyOf(d);
    }

    private final BenchOptions options;
    private final PrintStream out;
    private final String runId = Long.toString(System.currentTimeMillis(), 36);
    private final AtomicLong sequence = new AtomicLong();
    /** {@code --schedule ms-ticks}: the open loop sends on the wall clock's millisecond ticks, as wrk's delay() does. */
    private MillisecondTicks ticks;

    IngestCommand(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** One phase's figures. */
    record Phase(double seconds, long requests, long events, long accepted, Histogram latency,
                 Map<String, Long> outcomes, Histogram sendLag, Histogram serviceTime, int maxInFlight,
                 LoadStats.Retries retries) {

        Phase(double seconds, long requests, long events, long accepted, Histogram latency,
              Map<String, Long> outcomes) {
            this(seconds, requests, events, accepted, latency, outcomes, new Histogram(3), latency, 0,
                    new LoadStats.Retries(0, Map.of(), 0, 0, 0));
        }

        double requestRate() {
            return requests / seconds;
        }

        double eventRate() {
            return accepted / seconds;
        }

        double p50Ms() {
            return latency.getValueAtPercentile(50) / 1000.0;
        }
    }

    static int run(List<String> args, PrintStream out) throws InterruptedException {
        BenchOptions options = BenchOptions.parse(args, DEFAULTS);
        return new IngestCommand(options, out).execute();
    }

    int execute() throws InterruptedException {
        String driver = options.text("driver");
        String mode = options.text("mode");
        if (!Set.of("http-batch", "http-single", "ws").contains(driver)) {
            throw new IllegalArgumentException("--driver must be http-batch, http-single or ws");
        }
        if (!Set.of("open", "closed").contains(mode)) {
            throw new IllegalArgumentException("--mode must be open or closed");
        }
        boolean open = mode.equals("open");
        String schedule = options.text("schedule");
        if (!Set.of("even", "ms-ticks").contains(schedule)) {
            throw new IllegalArgumentException("--schedule must be even or ms-ticks");
        }
        if (schedule.equals("ms-ticks") && !open) {
            throw new IllegalArgumentException("--schedule ms-ticks paces the open loop: it needs --mode open");
        }
        ticks = schedule.equals("ms-ticks") ? MillisecondTicks.ofWallClock() : null;
        BenchRun.retries(options);
        try (Transport transport = transport(driver, options.apiKey())) {
            out.printf("fleet-bench ingest %s: %s, %s loop, %s%s%n", runId, driver, mode,
                    open ? options.integer("rate") + " requests/s offered" : options.integer("concurrency")
                            + " requests in flight",
                    ticks == null ? "" : ", schedule ms-ticks (validation: wrk's millisecond clumps, not even)");
            String readiness = options.text("await-ready").trim();
            if (!readiness.isEmpty()) {
                awaitReady(URI.create(readiness), options.duration("max-warm-up"));
            }
            Duration warmedUp = warmUp(transport, open);
            String metrics = options.text("metrics").trim();
            GatewayView gateway = metrics.isEmpty() ? null : new GatewayView(URI.create(metrics));
            PrometheusText before = gateway == null ? null : gateway.read();
            long cpuBefore = processCpuNanos();
            Phase scored = phase(transport, open, options.duration("duration"));
            long cpuNanos = processCpuNanos() - cpuBefore;
            PrometheusText after = gateway == null ? null : gateway.read();
            report(scored, warmedUp, transport.batchSize(), open);
            if (cpuBefore >= 0 && scored.requests() > 0) {
                // the load generator's own price: on a shared machine every µs of it is taken from the server
                out.printf("  client CPU %.0f µs per request (this process over the scored phase, %.2f cores)%n",
                        cpuNanos / 1e3 / scored.requests(), cpuNanos / 1e9 / scored.seconds());
            }
            if (gateway != null) {
                out.println("  gateway's own view of the scored phase (" + metrics + "):");
                GatewayView.report(before, after).forEach(line -> out.println("    " + line));
            }
        }
        return 0;
    }

    /** CPU time of this process so far, or -1 where the JVM does not say. */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** Polls every 20 ms until the URL answers 200; the time it took is printed, the windows start from here. */
    private void awaitReady(URI readiness, Duration limit) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long started = System.nanoTime();
        long deadline = started + limit.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(readiness)
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    out.printf("ready: %s answered 200 after %.1f s of waiting (%s); windows start now%n", readiness,
                            (System.nanoTime() - started) / 1e9, Instant.now());
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(readiness + " did not answer 200 within " + limit.toSeconds() + " s");
    }

    private Duration warmUp(Transport transport, boolean open) throws InterruptedException {
        String setting = options.text("warm-up").trim();
        if (!setting.equals("auto")) {
            Duration fixed = options.duration("warm-up");
            if (!fixed.isZero()) {
                Phase p = phase(transport, open, fixed);
                out.printf("warm-up: fixed %.1f s (%,.0f req/s, p50 %.2f ms), not scored%n", p.seconds(),
                        p.requestRate(), p.p50Ms());
            } else {
                out.println("warm-up: none (--warm-up 0): the figures include a cold start");
            }
            return fixed;
        }
        long maxMs = options.duration("max-warm-up").toMillis();
        // a cold gateway can crawl at the same low rate for two windows: --min-warm-up keeps that from counting as warm
        long minMs = options.duration("min-warm-up").toMillis();
        long started = System.nanoTime();
        Phase previous = null;
        out.printf("warm-up (auto, windows of %d s, not scored):%n", WINDOW.toSeconds());
        while (true) {
            Phase window = phase(transport, open, WINDOW);
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            out.printf("  %5.1f s  %,10.0f req/s  %,10.0f events/s  p50 %8.2f ms  p99 %8.2f ms  %s%n",
                    elapsedMs / 1000.0, window.requestRate(), window.eventRate(), window.p50Ms(),
                    window.latency().getValueAtPercentile(99) / 1000.0, window.outcomes());
            boolean steady = previous != null && steady(previous, window, open ? options.integer("rate") : 0);
            if (steady && elapsedMs >= minMs) {
                out.printf("warm-up: %.1f s (steady for two windows)%n", elapsedMs / 1000.0);
                return Duration.ofMillis(elapsedMs);
            }
            if (elapsedMs >= maxMs) {
                out.printf("warm-up: %.1f s, stopped at --max-warm-up without two steady windows%n",
                        elapsedMs / 1000.0);
                return Duration.ofMillis(elapsedMs);
            }
            previous = window;
        }
    }

    /**
     * Two windows agree: the same rate (closed loop) or the offered rate held (open loop, {@code offered} > 0), and the
     * same median latency, within the bounds above.
     */
    static boolean steady(Phase before, Phase now, int offered) {
        boolean rate = offered > 0 ? now.requestRate() >= 0.95 * offered && before.requestRate() >= 0.95 * offered
                : Math.abs(now.requestRate() - before.requestRate()) <= 0.1 * before.requestRate();
        double p50 = now.p50Ms();
        double p50Before = before.p50Ms();
        boolean latency = Math.abs(p50 - p50Before) <= Math.max(0.2, 0.2 * p50Before);
        return rate && latency && now.accepted() > 0;
    }

    private Phase phase(Transport transport, boolean open, Duration length) throws InterruptedException {
        LoadStats stats = new LoadStats();
        LoadRunner runner = new LoadRunner(transport, stats,
                open ? Math.max(1024, options.integer("concurrency")) : options.integer("concurrency"),
                BenchRun.retries(options));
        long start = ticks == null ? System.nanoTime() : ticks.nextTick(System.nanoTime());
        long end = start + length.toNanos();
        Iterator<BenchEvent> events = events(open ? 1_000_000_000L / Math.max(1, options.integer("rate")) : 0);
        if (open) {
            runner.openLoop(events, start, () -> System.nanoTime() >= end, options.duration("timeout"));
        } else {
            runner.closedLoop(events, () -> System.nanoTime() >= end, options.duration("timeout"));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Phase(seconds, stats.requests(), stats.sentEvents(), stats.acceptedEvents(),
                stats.intervalLatency(), stats.outcomes(), stats.intervalSendLag(), stats.intervalServiceTime(),
                stats.maxInFlight(), stats.retries());
    }

    /** Endless order events, the n-th due {@code n * gapNanos} after the phase start (per request of a batch). */
    private Iterator<BenchEvent> events(long gapNanos) {
        int perRequest = options.batchSize();
        return new Iterator<>() {
            long n;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public BenchEvent next() {
                long i = sequence.incrementAndGet();
                long k = n++ / perRequest;
                long offset = ticks == null ? gapNanos * k : MillisecondTicks.offset(k, options.integer("rate"));
                OrderEvent order = new OrderEvent("ing-" + runId + "-" + i, "acc-" + i % 1000, "SYM" + i % 50,
                        OrderEventType.CREATED, "o-" + i, i % 2 == 0 ? Side.BUY : Side.SELL,
                        100 + i % 50 + (i % 100) / 100.0, 1 + i % 500, System.currentTimeMillis());
                return BenchEvent.order(offset, order, EventTag.NOISE, null);
            }
        };
    }

    private Transport transport(String driver, String apiKey) {
        String gateway = options.text("gateway");
        Duration timeout = options.duration("timeout");
        int connections = options.integer("concurrency");
        int threads = options.integer("client-threads");
        return switch (driver) {
            case "http-batch" -> HttpTransport.batch(gateway, apiKey, options.batchSize(), timeout,
                    connections, threads);
            case "http-single" -> HttpTransport.single(gateway, apiKey, timeout, connections, threads);
            default -> new WebSocketTransport(gateway, apiKey, options.integer("ws-connections"),
                    options.batchSize(), Duration.ofSeconds(10));
        };
    }

    private void report(Phase p, Duration warmUp, int batchSize, boolean open) {
        Histogram h = p.latency();
        out.printf("%nscored: %.1f s after a warm-up of %.1f s (%s)%n", p.seconds(), warmUp.toMillis() / 1000.0,
                Instant.now());
        out.printf("  requests  %,d (%,.0f req/s)%n", p.requests(), p.requestRate());
        out.printf("  events    %,d accepted of %,d sent (%,.0f events/s accepted)%n", p.accepted(), p.events(),
                p.eventRate());
        out.printf("  latency   p50 %.3f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms (per %s of %d event%s)%n",
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(90) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0,
                options.text("driver").equals("ws") ? "message, to its last event's ack," : "request", batchSize,
                batchSize == 1 ? "" : "s");
        if (open) {
            out.printf("  of which  driver lag (intended → handed to the client) p50 %.3f ms  p99 %.2f ms;"
                            + " service time (handed → answered) p50 %.3f ms  p99 %.2f ms%n",
                    p.sendLag().getValueAtPercentile(50) / 1000.0, p.sendLag().getValueAtPercentile(99) / 1000.0,
                    p.serviceTime().getValueAtPercentile(50) / 1000.0,
                    p.serviceTime().getValueAtPercentile(99) / 1000.0);
        }
        int connections = options.text("driver").equals("ws") ? options.integer("ws-connections")
                : options.integer("concurrency");
        out.printf("  in flight at most %d over %d connection%s%s%n", p.maxInFlight(), connections,
                connections == 1 ? "" : "s", options.text("driver").startsWith("http") && p.maxInFlight() > connections
                        ? ": some requests waited for a free connection, and that wait is in the latency" : "");
        out.printf("  outcomes  %s (every answer, resends included)%n", p.outcomes());
        LoadStats.Retries r = p.retries();
        if (r.refusals() > 0) {
            out.printf("  refused   %,d answers asked for events again after a delay: %s events; %,d resent "
                            + "(%s), %,d accepted on a resend, %,d given up%n", r.refusals(), r.refusedEvents(),
                    r.resentEvents(), open ? "--retries " + options.text("retries") + ", after the gateway's delay"
                            : "closed loop: never resent", r.acceptedOnRetry(), r.givenUp());
        }
        List<String> notes = new ArrayList<>();
        if (p.accepted() < p.events()) {
            notes.add((p.events() - p.accepted()) + " events not accepted (see outcomes)");
        }
        notes.forEach(n -> out.println("  note: " + n));
    }
}

package io.streamfleet.bench.driver;

import com.sun.net.httpserver.HttpServer;
import io.streamfleet.bench.report.Percentiles;
import io.streamfleet.bench.scenario.BenchEvent;
import io.streamfleet.bench.scenario.EventTag;
import io.streamfleet.contracts.Contracts;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drivers against a deliberately slow loopback HTTP server (one thread, 10 ms per request): open loop must show the
 * queueing in its latency (measured from the intended send time), closed loop must not.
 */
class LoadRunnerTest {

    private HttpServer server;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startSlowServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            paths.add(exchange.getRequestURI().getPath() + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        server.setExecutor(Executors.newSingleThreadExecutor());
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static List<BenchEvent> orders(int count, long everyMicros) {
        List<BenchEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            OrderEvent e = new OrderEvent("e-" + i, "acct", "AAPL", OrderEventType.CREATED, "o-" + i, Side.BUY,
                    101.25, 10, 1_790_000_000_000L + i);
            events.add(BenchEvent.order(TimeUnit.MICROSECONDS.toNanos(i * everyMicros), e, EventTag.EPISODE, "ep-1"));
        }
        return events;
    }

    @Test
    void shouldCountQueueingFromTheIntendedSendTimeWhenOpenLoopOverloadsTheServer() {
        LoadStats stats = new LoadStats();
        try (HttpTransport transport = HttpTransport.single(url(), "k1", Duration.ofSeconds(10))) {
            new LoadRunner(transport, stats, 1_000).openLoop(orders(200, 5_000).iterator(), System.nanoTime(),
                    () -> false, Duration.ofSeconds(10));
        }
        Percentiles latency = Percentiles.of(stats.intervalLatency());
        assertThat(stats.acceptedEvents()).isEqualTo(200);
        assertThat(stats.outcomes()).containsEntry("202", 200L);
        assertThat(latency.maxMs()).as("200 requests x 10 ms at a server that serves one at a time").isGreaterThan(600);
        assertThat(stats.labelledAckMs()).hasSize(200);
        assertThat(paths).allMatch(p -> p.equals("/v1/orders Bearer k1"));
        assertThat(Contracts.orderEventReader().read(bodies.get(0).getBytes(StandardCharsets.UTF_8)).isValid()).isTrue();
    }

    @Test
    void shouldPutTheQueueingInServiceTimeNotDriverLagWhenTheServerIsTheBottleneck() {
        LoadStats stats = new LoadStats();
        try (HttpTransport transport = HttpTransport.single(url(), "k1", Duration.ofSeconds(10))) {
            new LoadRunner(transport, stats, 1_000).openLoop(orders(200, 5_000).iterator(), System.nanoTime(),
                    () -> false, Duration.ofSeconds(10));
        }
        Percentiles lag = Percentiles.of(stats.intervalSendLag());
        Percentiles service = Percentiles.of(stats.intervalServiceTime());
        // 200 requests offered over 1 s to a server that needs 2 s for them: the backlog is the server's
        assertThat(service.p50Ms()).isGreaterThan(100);
        assertThat(lag.p50Ms()).as("the driver sends on time while the server queues").isLessThan(50);
        assertThat(stats.maxInFlight()).as("more requests outstanding than the 64 pooled connections")
                .isGreaterThan(HttpTransport.DEFAULT_CONNECTIONS);
    }

    @Test
    void shouldMeasureServiceTimeOnlyWhenClosedLoopWaitsForEachResponse() {
        LoadStats stats = new LoadStats();
        try (HttpTransport transport = HttpTransport.batch(url(), "k1", 10, Duration.ofSeconds(10))) {
            new LoadRunner(transport, stats, 1).closedLoop(orders(200, 0).iterator(), () -> false, Duration.ofSeconds(10));
        }
        Percentiles latency = Percentiles.of(stats.intervalLatency());
        assertThat(stats.requests()).isEqualTo(20);
        assertThat(stats.acceptedEvents()).isEqualTo(200);
        assertThat(latency.p99Ms()).isLessThan(500);
        assertThat(paths).allMatch(p -> p.startsWith("/v1/events "));
        assertThat(bodies.get(0)).startsWith("[{\"kind\":\"order\",\"eventId\":\"e-0\"");
    }
}

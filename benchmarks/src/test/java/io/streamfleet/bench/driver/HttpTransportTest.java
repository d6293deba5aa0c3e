package io.streamfleet.bench.driver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.streamfleet.bench.scenario.BenchEvent;
import io.streamfleet.bench.scenario.EventTag;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.EngagementEventType;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;
import io.streamfleet.bench.report.Percentiles;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plain-Netty HTTP transport against a real loopback HTTP server (the JDK's): every request arrives exactly once
 * with exactly the bytes the driver meant (request line, headers, Content-Length, body), over no more connections than
 * it was given; a request that has to wait for a connection behind a stalled answer has that wait in its latency from
 * the intended send time; an answer that never comes fails the request after the timeout and the connection is
 * replaced; a server that closes each connection after its answer is followed onto new ones; given a ceiling, the
 * pool grows, one connection per request that would wait, so requests to a slow server leave on schedule, and never
 * past the ceiling.
 */
class HttpTransportTest {

    private HttpServer server;
    private ExecutorService serverThreads;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    private final AtomicInteger count = new AtomicInteger();

    private record Received(String method, String path, String authorization, String contentType,
                            String contentLength, byte[] body) {
    }

    private interface Handler {
        void answer(HttpExchange exchange, int n) throws IOException;
    }

    private String start(int threads, Handler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Content-Length"), body));
            clientPorts.add(exchange.getRemoteAddress().getPort());
            handler.answer(exchange, count.incrementAndGet());
        });
        serverThreads = Executors.newFixedThreadPool(threads);
        server.setExecutor(serverThreads);
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void accept(HttpExchange exchange) throws IOException {
        exchange.sendResponseHeaders(202, -1);
        exchange.close();
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
            serverThreads.shutdownNow();
        }
    }

    /** Orders and engagement events alternating, one every {@code everyMicros}; ids with a non-ASCII character. */
    private static List<BenchEvent> mixed(int n, long everyMicros) {
        List<BenchEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long offset = TimeUnit.MICROSECONDS.toNanos(i * everyMicros);
            if (i % 2 == 0) {
                OrderEvent e = new OrderEvent("é-" + i, "acct-" + i % 7, "SYM" + i % 3, OrderEventType.CREATED,
                        "o-" + i, Side.SELL, 99.5 + i, 1 + i, 1_790_000_000_000L + i);
                events.add(BenchEvent.order(offset, e, EventTag.NOISE, null));
            } else {
                EngagementEvent e = new EngagementEvent("g-" + i, "u-" + i % 5, "c-" + i % 4,
                        EngagementEventType.values()[i % EngagementEventType.values().length],
                        1_790_000_000_000L + i, 1000 + i, i % 3 == 0);
                events.add(BenchEvent.engagement(offset, e, EventTag.NOISE, null));
            }
        }
        return events;
    }

    @Test
    void shouldDeliverEveryRequestExactlyOnceWithItsExactBytesOverAtMostItsConnections() throws IOException {
        String url = start(8, (exchange, n) -> accept(exchange));
        List<BenchEvent> events = mixed(600, 500);
        LoadStats stats = new LoadStats();
        try (HttpTransport transport = HttpTransport.single(url, "k-1", Duration.ofSeconds(10), 4, 1)) {
            new LoadRunner(transport, stats, 256).openLoop(events.iterator(), System.nanoTime(), () -> false,
                    Duration.ofSeconds(10));
        }

        assertThat(stats.outcomes()).containsExactly(java.util.Map.entry("202", 600L));
        assertThat(received).hasSize(600);
        assertThat(clientPorts).as("client connections").hasSizeBetween(1, 4);
        java.util.Map<String, Received> byBody = new java.util.HashMap<>();
        for (Received r : received) {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.authorization()).isEqualTo("Bearer k-1");
            assertThat(r.contentType()).isEqualTo("application/json");
            assertThat(r.contentLength()).isEqualTo(Integer.toString(r.body().length));
            byBody.put(new String(r.body(), StandardCharsets.UTF_8), r);
        }
        assertThat(byBody).as("no request twice").hasSize(600);
        for (BenchEvent e : events) {
            Received r = byBody.get(WireJson.event(e, false));
            assertThat(r).as("the exact body of %s", e).isNotNull();
            assertThat(r.path()).isEqualTo(e.isOrder() ? "/v1/orders" : "/v1/engagement");
        }
    }

    @Test
    void shouldSendArraysWithTheirExactBytesOnSeveralEventLoops() throws IOException {
        String url = start(4, (exchange, n) -> accept(exchange));
        List<BenchEvent> events = mixed(1_000, 0);
        LoadStats stats = new LoadStats();
        try (HttpTransport transport = HttpTransport.batch(url, "k-2", 100, Duration.ofSeconds(10), 4, 2)) {
            new LoadRunner(transport, stats, 4).closedLoop(events.iterator(), () -> false, Duration.ofSeconds(10));
        }

        assertThat(stats.requests()).isEqualTo(10);
        assertThat(stats.acceptedEvents()).isEqualTo(1_000);
        assertThat(received).hasSize(10).allSatisfy(r -> {
            assertThat(r.path()).isEqualTo("/v1/events");
            assertThat(r.contentLength()).isEqualTo(Integer.toString(r.body().length));
        });
        Set<String> bodies = new java.util.HashSet<>();
        received.forEach(r -> bodies.add(new String(r.body(), StandardCharsets.UTF_8)));
        for (int i = 0; i < 10; i++) {
            assertThat(bodies).contains(WireJson.array(events.subList(i * 100, i * 100 + 100)));
        }
    }

    @Test
    void shouldCountTheWaitForAConnectionBehindAStalledAnswerFromTheIntendedSendTime() throws IOException {
        // one connection; the first answer takes 300 ms; a request is due every 10 ms
        String url = start(1, (exchange, n) -> {
            if (n == 1) {
                pause(300);
            }
            accept(exchange);
        });
        LoadStats stats = new LoadStats();
        try (HttpTransport transport = HttpTransport.single(url, "k", Duration.ofSeconds(10), 1, 1)) {
            new LoadRunner(transport, stats, 256).openLoop(mixed(60, 10_000).iterator(), System.nanoTime(),
                    () -> false, Duration.ofSeconds(10));
        }

        Histogram latency = stats.intervalLatency();
        Histogram lag = stats.intervalSendLag();
        assertThat(received).hasSize(60);
        assertThat(clientPorts).hasSize(1);
        assertThat(latency.getTotalCount()).isEqualTo(60);
        // requests due at 0..190 ms could not leave before 300 ms: at least 100 ms each, 20 of them
        assertThat(latency.getCountBetweenValues(100_000, latency.getMaxValue())).isGreaterThanOrEqualTo(18);
        assertThat(latency.getMaxValue()).as("µs").isGreaterThanOrEqualTo(280_000);
        // the pacer handed them over on time: the wait is not hidden as a late send, nor lost
        assertThat(lag.getValueAtPercentile(50)).as("µs").isLessThan(50_000);
        assertThat(stats.maxInFlight()).isGreaterThan(20);
    }

    @Test
    void shouldTimeEachEventByWhenItsRequestReachedTheWireNotByItsHandOverToTheTransport() throws IOException {
        // as above: one connection, the first answer takes 300 ms, a request due every 10 ms; the pacer hands the
        // requests due meanwhile over on time, but they wait for the connection: the send log must see that wait
        String url = start(1, (exchange, n) -> {
            if (n == 1) {
                pause(300);
            }
            accept(exchange);
        });
        long startMs = System.currentTimeMillis() + 50;
        long startNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        SendLog log = new SendLog(new io.streamfleet.bench.late.ClientLateness(startMs, 3_000, startMs - 3_600_000,
                240, 120_000));
        LoadStats stats = new LoadStats(log);
        List<BenchEvent> events = mixed(60, 10_000);
        try (HttpTransport transport = HttpTransport.single(url, "k", Duration.ofSeconds(10), 1, 1)) {
            new LoadRunner(transport, stats, 256).openLoop(events.iterator(), startNanos, () -> false,
                    Duration.ofSeconds(10));
        }

        assertThat(received).hasSize(60);
        assertThat(log.sentMs(0) - startMs).as("the first request left at once").isBetween(0L, 100L);
        for (int i = 1; i < 20; i++) {
            assertThat(log.sentMs(i) - startMs).as("request %d (due at %d ms) waited for the stalled connection", i,
                    i * 10).isGreaterThanOrEqualTo(290);
        }
        assertThat(log.sentMs(59)).isGreaterThanOrEqualTo(log.sentMs(20));
        SendLog.Backlog backlog = log.backlog();
        assertThat(backlog.events()).isEqualTo(60);
        assertThat(backlog.maxBehindMs()).isGreaterThanOrEqualTo(280);
        // about 300 ms behind schedule is within even the engagement bound (120 s / 240 = 500 ms of wall time)
        assertThat(backlog.engagementBehindBound()).isZero();
        assertThat(Percentiles.of(stats.intervalSendLag()).p50Ms()).as("the hand-over was on time").isLessThan(50);
    }

    @Test
    void shouldFailARequestThatGetsNoAnswerWithinTheTimeoutAndCarryOnOnANewConnection() throws Exception {
        String url = start(4, (exchange, n) -> {
            if (n == 1) {
                pause(3_000);
            }
            accept(exchange);
        });
        try (HttpTransport transport = HttpTransport.single(url, "k", Duration.ofMillis(400), 1, 1)) {
            long start = System.nanoTime();
            SendResult first = transport.send(mixed(1, 0)).get(5, TimeUnit.SECONDS);
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            SendResult second = transport.send(mixed(1, 0)).get(5, TimeUnit.SECONDS);

            assertThat(first.outcome()).isEqualTo("error:ReadTimeoutException");
            assertThat(first.accepted()).isZero();
            assertThat(tookMs).isBetween(350L, 2_500L);
            assertThat(second.outcome()).isEqualTo("202");
            assertThat(clientPorts).as("the timed-out connection was replaced").hasSize(2);
        }
    }

    @Test
    void shouldFollowAServerThatClosesEachConnectionAfterItsAnswer() throws IOException {
        String url = start(2, (exchange, n) -> {
            exchange.getResponseHeaders().set("Connection", "close");
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(202, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        LoadStats stats = new LoadStats();
        try (HttpTransport transport = HttpTransport.single(url, "k", Duration.ofSeconds(10), 2, 1)) {
            new LoadRunner(transport, stats, 2).closedLoop(mixed(40, 0).iterator(), () -> false,
                    Duration.ofSeconds(10));
        }
        assertThat(stats.outcomes()).containsExactly(java.util.Map.entry("202", 40L));
        assertThat(received).hasSize(40);
        assertThat(clientPorts.size()).as("a new connection per request").isGreaterThanOrEqualTo(39);
    }

    @Test
    void shouldFailEveryRequestClearlyWhenNothingListens() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (HttpTransport transport = HttpTransport.single("http://127.0.0.1:" + port, "k", Duration.ofSeconds(5),
                4, 1)) {
            SendResult result = transport.send(mixed(1, 0)).get(5, TimeUnit.SECONDS);
            assertThat(result.outcome()).startsWith("error:").contains("Connect");
            assertThat(result.accepted()).isZero();
        }
    }

    /**
     * Sends 60 requests, one due every 20 ms, to a server that answers each after 200 ms (about 10 in flight). The
     * server is Reactor Netty's, which delays answers without holding a thread (the JDK's server is slow to take
     * new connections while its threads sleep).
     */
    private SendLog.Backlog slowServerRun(int connections, int growTo) {
        Set<Object> channels = ConcurrentHashMap.newKeySet();
        AtomicInteger answered = new AtomicInteger();
        reactor.netty.DisposableServer slow = reactor.netty.http.server.HttpServer.create().host("127.0.0.1").port(0)
                .doOnConnection(c -> channels.add(c.channel().id()))
                .handle((request, response) -> request.receive().then(reactor.core.publisher.Mono.delay(
                        Duration.ofMillis(200))).then(response.status(202).send()
                        .doOnSuccess(v -> answered.incrementAndGet())))
                .bindNow();
        try {
            long startMs = System.currentTimeMillis() + 50;
            long startNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
            SendLog log = new SendLog(new io.streamfleet.bench.late.ClientLateness(startMs, 3_000,
                    startMs - 3_600_000, 240, 120_000));
            LoadStats stats = new LoadStats(log);
            try (HttpTransport transport = HttpTransport.single("http://127.0.0.1:" + slow.port(), "k",
                    Duration.ofSeconds(10), connections, 1, growTo)) {
                new LoadRunner(transport, stats, 256).openLoop(mixed(60, 20_000).iterator(), startNanos,
                        () -> false, Duration.ofSeconds(20));
                peak = transport.peakConnections();
            }
            assertThat(stats.outcomes()).containsExactly(java.util.Map.entry("202", 60L));
            assertThat(answered).hasValue(60);
            serverConnections = channels.size();
            return log.backlog();
        } finally {
            slow.disposeNow();
        }
    }

    private int peak;
    private int serverConnections;

    @Test
    void shouldOpenMoreConnectionsUpToItsCeilingSoThatRequestsToASlowServerLeaveOnSchedule() {
        SendLog.Backlog backlog = slowServerRun(2, 32);

        // about 10 answers are outstanding at any time: the pool grew past its 2 (a cold server answers its first
        // requests later, so somewhat more), never to the ceiling
        assertThat(peak).isBetween(8, 28);
        assertThat(serverConnections).isEqualTo(peak);
        // the requests reached the wire at their slots instead of queueing behind two busy connections (which
        // carry 10 answers a second against 50 due: seconds behind by the end)
        assertThat(backlog.delayMicros().getValueAtPercentile(50)).as("µs behind schedule, p50").isLessThan(100_000);
        assertThat(backlog.maxBehindMs()).as("ms behind schedule, max").isLessThan(1_000);
    }

    @Test
    void shouldNeverOpenMoreConnectionsThanItsCeilingAndCountTheWaitBeyondIt() {
        SendLog.Backlog backlog = slowServerRun(2, 4);

        assertThat(peak).isEqualTo(4);
        assertThat(serverConnections).isEqualTo(4);
        // 4 connections carry 20 answers/s against 50 requests due a second: the last requests left seconds after their slots
        assertThat(backlog.maxBehindMs()).as("ms behind schedule").isGreaterThan(1_000);
        assertThat(backlog.delayMicros().getValueAtPercentile(50)).as("µs behind schedule, p50").isGreaterThan(
                200_000);
    }

    @Test
    void shouldKeepAFixedPoolWhenNoCeilingIsGiven() throws IOException {
        String url = start(32, (exchange, n) -> {
            pause(50);
            accept(exchange);
        });
        try (HttpTransport transport = HttpTransport.single(url, "k", Duration.ofSeconds(10), 3, 1)) {
            new LoadRunner(transport, new LoadStats(), 256).openLoop(mixed(30, 5_000).iterator(), System.nanoTime(),
                    () -> false, Duration.ofSeconds(10));
            assertThat(transport.peakConnections()).isEqualTo(3);
        }
        assertThat(clientPorts).hasSizeLessThanOrEqualTo(3);
    }

    @Test
    void shouldRefuseACeilingBelowItsConnections() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HttpTransport.single("http://127.0.0.1:1", "k",
                        Duration.ofSeconds(1), 8, 1, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ceiling (4)").hasMessageContaining("connections (8)");
    }
}

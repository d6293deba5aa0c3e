package io.streamfleet.bench.driver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.streamfleet.bench.report.Percentiles;
import io.streamfleet.bench.scenario.BenchEvent;
import io.streamfleet.bench.scenario.EventTag;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;
import io.streamfleet.contracts.json.ContractMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The open loop against a real loopback HTTP server that answers as the gateway does when it is overloaded
 * (docs/ingest-gateway.md): 503 {@code overloaded} with {@code Retry-After: 1} and {@code retryAfterSeconds}, or a 207
 * whose unavailable items carry reason {@code overloaded}. The driver must send the refused events again, with the same
 * event ids, no sooner than the delay, a bounded number of times, and count what it did.
 */
class OverloadResendTest {

    private static final String OVERLOADED = "{\"type\":\"urn:streamfleet:problem:overloaded\",\"title\":\"Overloaded\","
            + "\"status\":503,\"detail\":\"the gateway is overloaded\",\"retryAfterSeconds\":1}";

    private HttpServer server;
    private ExecutorService serverThreads;
    /** Every arrival of every event id at the server, in server time (ms). */
    private final Map<String, List<Long>> arrivals = new ConcurrentHashMap<>();
    private final List<List<String>> requests = new CopyOnWriteArrayList<>();

    /** Answers each request with what {@code answer} says for the event ids in it (their arrivals already noted). */
    private String start(Function<List<String>, Answer> answer) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        server.createContext("/", exchange -> {
            List<String> ids = eventIds(exchange);
            long now = System.currentTimeMillis();
            ids.forEach(id -> arrivals.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(now));
            requests.add(ids);
            Answer a = answer.apply(ids);
            if (a.retryAfter() != null) {
                exchange.getResponseHeaders().set("Retry-After", a.retryAfter());
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        serverThreads = Executors.newFixedThreadPool(4);
        server.setExecutor(serverThreads);
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private record Answer(int status, String retryAfter, String body) {
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
            serverThreads.shutdownNow();
        }
    }

    private static List<String> eventIds(HttpExchange exchange) throws IOException {
        JsonNode body = ContractMapper.shared().readTree(exchange.getRequestBody().readAllBytes());
        List<String> ids = new ArrayList<>();
        if (body.isArray()) {
            body.forEach(e -> ids.add(e.path("eventId").asString()));
        } else {
            ids.add(body.path("eventId").asString());
        }
        return ids;
    }

    private static List<BenchEvent> labelledOrders(int count, long everyMs) {
        List<BenchEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            OrderEvent e = new OrderEvent("e-" + i, "acct", "AAPL", OrderEventType.CREATED, "o-" + i, Side.BUY,
                    101.25, 10, 1_790_000_000_000L + i);
            events.add(BenchEvent.order(TimeUnit.MILLISECONDS.toNanos(i * everyMs), e, EventTag.EPISODE, "ep-1"));
        }
        return events;
    }

    private static LoadStats openLoop(Transport transport, List<BenchEvent> events, int maxResends) {
        LoadStats stats = new LoadStats();
        new LoadRunner(transport, stats, 64, maxResends).openLoop(events.iterator(), System.nanoTime(), () -> false,
                Duration.ofSeconds(20));
        return stats;
    }

    @Test
    void shouldResendEveryRefusedEventAfterRetryAfterAndCountItAcceptedAtItsResend() throws IOException {
        String url = start(ids -> arrivals.get(ids.get(0)).size() == 1
                ? new Answer(503, "1", OVERLOADED) : new Answer(202, null, ""));
        long before = System.currentTimeMillis();
        LoadStats stats;
        try (HttpTransport transport = HttpTransport.single(url, "k1", Duration.ofSeconds(10))) {
            stats = openLoop(transport, labelledOrders(10, 20), 3);
        }

        assertThat(arrivals).hasSize(10);
        arrivals.forEach((id, times) -> {
            assertThat(times).as(id + " sent, refused, sent again").hasSize(2);
            assertThat(times.get(1) - times.get(0)).as(id + ": not before Retry-After (1 s)").isGreaterThanOrEqualTo(990);
        });
        assertThat(stats.acceptedEvents()).isEqualTo(10);
        assertThat(stats.sentEvents()).as("events of the scenario, resends apart").isEqualTo(10);
        assertThat(stats.requests()).as("ten requests, each over only at its last answer").isEqualTo(10);
        assertThat(stats.outcomes()).containsEntry("503-overloaded", 10L).containsEntry("202", 10L);
        assertThat(stats.retries()).isEqualTo(new LoadStats.Retries(10, Map.of("overloaded", 10L), 10, 10, 0));
        assertThat(stats.labelledAcceptedOnRetry()).hasSize(10);
        assertThat(stats.notAcceptedIds()).as("every refused event was accepted in the end").isEmpty();
        assertThat(stats.labelledAckMs()).hasSize(10).allSatisfy((id, ackMs) ->
                assertThat(ackMs).as(id + " acknowledged at its resend, not its first send")
                        .isGreaterThanOrEqualTo(arrivals.get(id).get(1)));
        assertThat(stats.labelledAckMs().values()).allMatch(ack -> ack >= before + 990);
        assertThat(Percentiles.of(stats.intervalLatency()).p50Ms()).as("latency runs to the last answer")
                .isGreaterThanOrEqualTo(990);
    }

    @Test
    void shouldGiveEventsUpAfterTheConfiguredResendsAndNotCountThemAccepted() throws IOException {
        String url = start(ids -> new Answer(503, "1", OVERLOADED));
        LoadStats stats;
        long started = System.nanoTime();
        try (HttpTransport transport = HttpTransport.single(url, "k1", Duration.ofSeconds(10))) {
            stats = openLoop(transport, labelledOrders(4, 10), 2);
        }
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(arrivals).hasSize(4).allSatisfy((id, times) -> assertThat(times).as(id).hasSize(3));
        assertThat(tookMs).as("two waits of Retry-After before giving up").isGreaterThanOrEqualTo(1_980);
        assertThat(stats.acceptedEvents()).isZero();
        assertThat(stats.labelledAckMs()).isEmpty();
        assertThat(stats.outcomes()).containsOnly(Map.entry("503-overloaded", 12L));
        assertThat(stats.retries()).isEqualTo(new LoadStats.Retries(12, Map.of("overloaded", 12L), 8, 0, 4));
        assertThat(stats.requests()).isEqualTo(4);
        assertThat(stats.notAcceptedIds()).containsExactlyInAnyOrderElementsOf(arrivals.keySet());
    }

    @Test
    void shouldSendEachEventOnceAndGiveRefusedOnesUpWhenResendsAreOff() throws IOException {
        String url = start(ids -> new Answer(503, "1", OVERLOADED));
        LoadStats stats;
        try (HttpTransport transport = HttpTransport.single(url, "k1", Duration.ofSeconds(10))) {
            stats = openLoop(transport, labelledOrders(4, 10), 0);
        }

        assertThat(arrivals).hasSize(4).allSatisfy((id, times) -> assertThat(times).hasSize(1));
        assertThat(stats.retries()).isEqualTo(new LoadStats.Retries(4, Map.of("overloaded", 4L), 0, 0, 4));
        assertThat(stats.acceptedEvents()).isZero();
    }

    @Test
    void shouldResendOnlyTheUnavailableItemsOfAMixedBatchAndKeepEachEventsOwnAcceptanceTime() throws IOException {
        // first batch: e-0 and e-2 accepted, e-1 and e-3 refused as overloaded; the resend of the two is accepted
        String mixed = "{\"accepted\":2,\"rejected\":0,\"unavailable\":2,\"results\":["
                + "{\"index\":0,\"eventId\":\"e-0\",\"status\":\"accepted\"},"
                + "{\"index\":1,\"eventId\":\"e-1\",\"status\":\"unavailable\",\"reason\":\"overloaded\"},"
                + "{\"index\":2,\"eventId\":\"e-2\",\"status\":\"accepted\"},"
                + "{\"index\":3,\"eventId\":\"e-3\",\"status\":\"unavailable\",\"reason\":\"overloaded\"}]}";
        String url = start(ids -> ids.size() == 4 ? new Answer(207, "1", mixed) : new Answer(202, null, ""));
        LoadStats stats;
        try (HttpTransport transport = HttpTransport.batch(url, "k1", 4, Duration.ofSeconds(10))) {
            stats = openLoop(transport, labelledOrders(4, 0), 3);
        }

        assertThat(requests).containsExactly(List.of("e-0", "e-1", "e-2", "e-3"), List.of("e-1", "e-3"));
        assertThat(stats.acceptedEvents()).isEqualTo(4);
        assertThat(stats.retries()).isEqualTo(new LoadStats.Retries(1, Map.of("overloaded", 2L), 2, 2, 0));
        assertThat(stats.notAcceptedIds()).isEmpty();
        assertThat(stats.labelledAcceptedOnRetry()).containsExactlyInAnyOrder("e-1", "e-3");
        Map<String, Long> acks = stats.labelledAckMs();
        assertThat(acks.get("e-1") - acks.get("e-0")).as("accepted on the resend, a Retry-After later")
                .isGreaterThanOrEqualTo(990);
        assertThat(acks.get("e-3")).isEqualTo(acks.get("e-1"));
        assertThat(acks.get("e-2")).isEqualTo(acks.get("e-0"));
    }

    @Test
    void shouldTimeEachEventForTheLateAuditByItsAttemptThatReachedKafkaNotByARefusedOne() throws IOException {
        // as above: e-0 and e-2 accepted at once, e-1 and e-3 refused unsent (overloaded) and accepted on the resend
        String mixed = "{\"accepted\":2,\"rejected\":0,\"unavailable\":2,\"results\":["
                + "{\"index\":0,\"eventId\":\"e-0\",\"status\":\"accepted\"},"
                + "{\"index\":1,\"eventId\":\"e-1\",\"status\":\"unavailable\",\"reason\":\"overloaded\"},"
                + "{\"index\":2,\"eventId\":\"e-2\",\"status\":\"accepted\"},"
                + "{\"index\":3,\"eventId\":\"e-3\",\"status\":\"unavailable\",\"reason\":\"overloaded\"}]}";
        String url = start(ids -> ids.size() == 4 ? new Answer(207, "1", mixed) : new Answer(202, null, ""));
        long startMs = System.currentTimeMillis();
        SendLog log = new SendLog(new io.streamfleet.bench.late.ClientLateness(startMs, 3_000, 0, 240, 120_000));
        LoadStats stats = new LoadStats(log);
        try (HttpTransport transport = HttpTransport.batch(url, "k1", 4, Duration.ofSeconds(10))) {
            new LoadRunner(transport, stats, 64, 3).openLoop(labelledOrders(4, 0).iterator(), System.nanoTime(),
                    () -> false, Duration.ofSeconds(20));
        }

        for (int i = 0; i < 4; i++) {
            List<Long> times = arrivals.get("e-" + i);
            long counted = times.get(times.size() - 1);
            assertThat(log.sentMs(i)).as("e-%d: on the wire no later than it arrived at its accepted attempt", i)
                    .isLessThanOrEqualTo(counted).isGreaterThanOrEqualTo(counted - 900);
        }
        assertThat(log.sentMs(1) - log.sentMs(0)).as("the refused attempt does not count").isGreaterThanOrEqualTo(990);
        assertThat(log.sentMs(2)).isEqualTo(log.sentMs(0));
        assertThat(log.backlog().events()).as("first attempts only").isEqualTo(4);
        assertThat(log.backlog().ordersLateByClient()).as("their event times lie before the run: late already when "
                + "scheduled, not made late by the driver").isZero();
    }

    @Test
    void shouldNotResendA503WithoutADelay() throws IOException {
        String url = start(ids -> new Answer(503, null, "{\"type\":\"urn:streamfleet:problem:unavailable\"}"));
        LoadStats stats;
        try (HttpTransport transport = HttpTransport.single(url, "k1", Duration.ofSeconds(10))) {
            stats = openLoop(transport, labelledOrders(2, 10), 3);
        }

        assertThat(arrivals).allSatisfy((id, times) -> assertThat(times).hasSize(1));
        assertThat(stats.outcomes()).containsOnly(Map.entry("503-unavailable", 2L));
        assertThat(stats.retries().refusals()).isZero();
        assertThat(stats.notAcceptedIds()).as("a 503 without a delay is final").hasSize(2);
    }
}

package io.streamfleet.bench.driver;

import io.streamfleet.bench.scenario.BenchEvent;
import io.streamfleet.bench.scenario.EventTag;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;
import io.streamfleet.contracts.json.ContractMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WebSocket driver against a real loopback WebSocket endpoint that acks as an overloaded gateway does
 * (docs/ingest-gateway.md, WebSocket): the first time it sees an event it answers {@code "status": "unavailable",
 * "reason": "overloaded", "retryAfterMs": 300}, then {@code accepted}. The driver must send each such event again
 * after 300 ms, on the socket, and count it accepted at that resend.
 */
class WebSocketResendTest {

    private static final long RETRY_AFTER_MS = 300;

    private DisposableServer server;
    private final Map<String, List<Long>> arrivals = new ConcurrentHashMap<>();

    @AfterEach
    void stop() {
        server.disposeNow();
    }

    private String start() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.ws("/v1/events/ws", (in, out) -> out.sendString(in.receive().asString()
                        .map(this::ack))))
                .bindNow();
        return "http://127.0.0.1:" + server.port();
    }

    private String ack(String message) {
        String id = ContractMapper.shared().readTree(message).path("eventId").asString();
        List<Long> times = arrivals.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>());
        times.add(System.currentTimeMillis());
        return times.size() == 1
                ? "{\"seq\":0,\"eventId\":\"" + id + "\",\"status\":\"unavailable\",\"reason\":\"overloaded\","
                + "\"error\":\"the gateway is overloaded\",\"retryAfterMs\":" + RETRY_AFTER_MS + "}"
                : "{\"seq\":1,\"eventId\":\"" + id + "\",\"status\":\"accepted\",\"reason\":null,\"error\":null}";
    }

    @Test
    void shouldResendAnEventWhoseAckAsksForItAgainAfterRetryAfterMs() {
        String url = start();
        List<BenchEvent> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            OrderEvent e = new OrderEvent("w-" + i, "acct", "AAPL", OrderEventType.CREATED, "o-" + i, Side.BUY,
                    101.25, 10, 1_790_000_000_000L + i);
            events.add(BenchEvent.order(TimeUnit.MILLISECONDS.toNanos(i * 10L), e, EventTag.EPISODE, "ep-1"));
        }
        LoadStats stats = new LoadStats();
        try (WebSocketTransport transport = new WebSocketTransport(url, "k1", 2, Duration.ofSeconds(5))) {
            new LoadRunner(transport, stats, 64, 3).openLoop(events.iterator(), System.nanoTime(), () -> false,
                    Duration.ofSeconds(10));
        }

        assertThat(arrivals).hasSize(6).allSatisfy((id, times) -> {
            assertThat(times).as(id).hasSize(2);
            assertThat(times.get(1) - times.get(0)).as(id + " resent after retryAfterMs")
                    .isGreaterThanOrEqualTo(RETRY_AFTER_MS - 10);
        });
        assertThat(stats.acceptedEvents()).isEqualTo(6);
        assertThat(stats.outcomes()).containsEntry("ws-unavailable-overloaded", 6L).containsEntry("ack", 6L);
        assertThat(stats.retries()).isEqualTo(new LoadStats.Retries(6, Map.of("overloaded", 6L), 6, 6, 0));
        assertThat(stats.labelledAckMs()).allSatisfy((id, ackMs) ->
                assertThat(ackMs).isGreaterThanOrEqualTo(arrivals.get(id).get(1)));
    }
}

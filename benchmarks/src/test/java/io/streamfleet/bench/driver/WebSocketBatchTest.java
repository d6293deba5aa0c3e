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
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WebSocket driver with several events per message, against a loopback WebSocket endpoint that answers as the
 * gateway does (docs/ingest-gateway.md, WebSocket): a message of NDJSON lines gets one ack per line, in order, each
 * naming its event; a message it cannot read gets one ack that names no event. Events whose id starts with
 * {@code busy} are acked {@code unavailable} / {@code overloaded} with {@code retryAfterMs} the first time; a message
 * whose first id starts with {@code refuse} is refused as a whole. Every message the endpoint saw is kept.
 */
class WebSocketBatchTest {

    private static final long RETRY_AFTER_MS = 200;

    private DisposableServer server;
    private final List<List<String>> messages = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.disposeNow();
        }
    }

    private String start() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.ws("/v1/events/ws", (in, out) -> out.sendString(in.aggregateFrames()
                        .receive().asString().concatMapIterable(this::acks))))
                .bindNow();
        return "http://127.0.0.1:" + server.port();
    }

    private List<String> acks(String message) {
        List<String> ids = new ArrayList<>();
        for (String line : message.split("\n")) {
            ids.add(ContractMapper.shared().readTree(line).path("eventId").asString());
        }
        messages.add(ids);
        if (ids.get(0).startsWith("refuse")) {
            return List.of("{\"seq\":0,\"eventId\":null,\"status\":\"rejected\",\"reason\":\"batch_too_large\","
                    + "\"error\":\"Too many events in one request: ...\"}");
        }
        List<String> acks = new ArrayList<>();
        for (String id : ids) {
            boolean first = seen.computeIfAbsent(id, k -> new AtomicInteger()).getAndIncrement() == 0;
            acks.add(first && id.startsWith("busy")
                    ? "{\"seq\":0,\"eventId\":\"" + id + "\",\"status\":\"unavailable\",\"reason\":\"overloaded\","
                    + "\"error\":\"the gateway is overloaded\",\"retryAfterMs\":" + RETRY_AFTER_MS + "}"
                    : "{\"seq\":0,\"eventId\":\"" + id + "\",\"status\":\"accepted\",\"reason\":null,\"error\":null}");
        }
        return acks;
    }

    private static List<BenchEvent> events(String... ids) {
        List<BenchEvent> events = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            OrderEvent e = new OrderEvent(ids[i], "acct", "AAPL", OrderEventType.CREATED, "o-" + i, Side.BUY,
                    101.25, 10, 1_790_000_000_000L + i);
            events.add(BenchEvent.order(TimeUnit.MILLISECONDS.toNanos(i), e, EventTag.EPISODE, "ep-" + i));
        }
        return events;
    }

    @Test
    void shouldSendNdjsonLinesInOneMessageAndAnswerItWhenEveryEventIsAcked() {
        String url = start();
        try (WebSocketTransport transport = new WebSocketTransport(url, "k1", 1, 4, Duration.ofSeconds(5))) {
            assertThat(transport.batchSize()).isEqualTo(4);
            long before = System.currentTimeMillis();
            SendResult result = transport.send(events("a-1", "a-2", "a-3", "a-4")).join();

            assertThat(result.withWireMs(SendResult.WIRE_UNKNOWN)).isEqualTo(new SendResult(4, 4, "ack"));
            assertThat(result.wireMs()).as("when the message went to the socket").isBetween(before,
                    System.currentTimeMillis());
            assertThat(messages).containsExactly(List.of("a-1", "a-2", "a-3", "a-4"));
        }
    }

    @Test
    void shouldKeepTheAcksOfLaterMessagesInStepWhenAWholeMessageIsRefusedWithOneAck() {
        String url = start();
        try (WebSocketTransport transport = new WebSocketTransport(url, "k1", 1, 3, Duration.ofSeconds(5))) {
            var refused = transport.send(events("refuse-1", "refuse-2", "refuse-3"));
            var next = transport.send(events("c-1", "c-2", "c-3"));

            assertThat(refused.join().withWireMs(SendResult.WIRE_UNKNOWN))
                    .isEqualTo(new SendResult(3, 0, "ws-message-rejected-batch_too_large"));
            assertThat(next.join().withWireMs(SendResult.WIRE_UNKNOWN)).isEqualTo(new SendResult(3, 3, "ack"));
            assertThat(next.join().wireMs()).isGreaterThanOrEqualTo(refused.join().wireMs());
        }
    }

    @Test
    void shouldCountEachEventOfAMessageOnItsOwnAck() {
        String url = start();
        try (WebSocketTransport transport = new WebSocketTransport(url, "k1", 1, 4, Duration.ofSeconds(5))) {
            SendResult result = transport.send(events("d-1", "busy-2", "d-3", "busy-4")).join();

            assertThat(result.accepted()).isEqualTo(2);
            assertThat(result.outcome()).isEqualTo("ws-mixed");
            assertThat(result.acceptedIndexes()).containsExactly(0, 2);
            assertThat(result.resend()).isEqualTo(new SendResult.Resend(List.of(1, 3), RETRY_AFTER_MS, "overloaded"));
        }
    }

    @Test
    void shouldResendOnlyTheRefusedEventsOfAMessageAndCountEveryEventOnce() {
        String url = start();
        LoadStats stats = new LoadStats();
        List<BenchEvent> events = events("e-0", "busy-1", "e-2", "e-3", "e-4", "busy-5", "e-6", "e-7", "e-8");
        try (WebSocketTransport transport = new WebSocketTransport(url, "k1", 2, 4, Duration.ofSeconds(5))) {
            new LoadRunner(transport, stats, 64, 3).openLoop(events.iterator(), System.nanoTime(), () -> false,
                    Duration.ofSeconds(10));
        }

        // 9 events in messages of 4, 4 and 1; then the two refused events again, each in a message of its own
        assertThat(messages).hasSize(5);
        assertThat(messages.subList(0, 3)).containsExactlyInAnyOrder(List.of("e-0", "busy-1", "e-2", "e-3"),
                List.of("e-4", "busy-5", "e-6", "e-7"), List.of("e-8"));
        assertThat(messages.subList(3, 5)).containsExactlyInAnyOrder(List.of("busy-1"), List.of("busy-5"));
        assertThat(stats.sentEvents()).isEqualTo(9);
        assertThat(stats.acceptedEvents()).isEqualTo(9);
        assertThat(stats.requests()).isEqualTo(3);
        assertThat(stats.outcomes()).containsEntry("ws-mixed", 2L).containsEntry("ack", 3L);
        assertThat(stats.retries()).isEqualTo(new LoadStats.Retries(2, Map.of("overloaded", 2L), 2, 2, 0));
        assertThat(stats.labelledAckMs()).containsOnlyKeys(events.stream().map(BenchEvent::eventId).toList());
        assertThat(stats.labelledAcceptedOnRetry()).containsExactlyInAnyOrder("busy-1", "busy-5");
        assertThat(stats.notAcceptedIds()).isEmpty();
    }

    @Test
    void shouldNotCountAnAckForAnotherEventAsThisOnesAcceptance() {
        WebSocketTransport.Message message = new WebSocketTransport.Message(new String[] {"f-1", "f-2"});
        assertThat(message.take(WebSocketTransport.Ack.parse(
                "{\"eventId\":\"f-1\",\"status\":\"accepted\"}"))).isFalse();
        assertThat(message.take(WebSocketTransport.Ack.parse(
                "{\"eventId\":\"f-9\",\"status\":\"accepted\"}"))).isTrue();

        SendResult result = message.result();
        assertThat(result.accepted()).isEqualTo(1);
        assertThat(result.acceptedIndexes()).containsExactly(0);
        assertThat(result.outcome()).isEqualTo("ws-mixed");
    }

    @Test
    void shouldRefuseABatchSizeBelowOne() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new WebSocketTransport("http://127.0.0.1:1", "k", 1, 0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(">= 1");
    }
}

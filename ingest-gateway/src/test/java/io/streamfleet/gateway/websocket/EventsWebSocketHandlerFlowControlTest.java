package io.streamfleet.gateway.websocket;

import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.gateway.admission.AdmissionControl;
import io.streamfleet.gateway.admission.AdmissionLimits;
import io.streamfleet.gateway.intake.Bodies;
import io.streamfleet.gateway.intake.EventIntake;
import io.streamfleet.gateway.intake.IntakeItem;
import io.streamfleet.gateway.intake.IntakeLimits;
import io.streamfleet.gateway.publishing.AdmittingEventSink;
import io.streamfleet.gateway.publishing.EventSink;
import io.streamfleet.gateway.publishing.GatewayMetrics;
import io.streamfleet.gateway.publishing.IngestService;
import io.streamfleet.gateway.publishing.RetryAfterPolicy;
import io.streamfleet.gateway.publishing.SendOutcome;
import io.streamfleet.gateway.security.RequestGuard;
import io.streamfleet.support.security.ApiKey;
import io.streamfleet.support.security.ApiKeyAuthenticator;
import io.streamfleet.support.security.Scopes;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.adapter.AbstractWebSocketSession;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Flow control of the WebSocket channel: while Kafka has not acknowledged, at most {@code maxInFlightFrames} messages
 * are taken from the socket (so the transport stops reading and TCP pushes back on the client); acks go out in
 * arrival order, and each one sent frees exactly one slot.
 */
class EventsWebSocketHandlerFlowControlTest {

    private static final String SECRET = "ws-secret";
    private static final int MAX_IN_FLIGHT = 4;

    /** A Kafka stand-in that holds every publish until the test acknowledges it. */
    static final class GatedSink implements EventSink {
        final List<Sinks.One<List<SendOutcome>>> pending = new CopyOnWriteArrayList<>();
        final List<List<IntakeItem.Valid>> calls = new CopyOnWriteArrayList<>();
        private final AtomicLong offset = new AtomicLong();

        @Override
        public Mono<List<SendOutcome>> send(List<IntakeItem.Valid> events, String submittedBy, long ingestedAtMs) {
            Sinks.One<List<SendOutcome>> gate = Sinks.one();
            pending.add(gate);
            calls.add(events);
            return gate.asMono();
        }

        void acknowledge(int call) {
            List<SendOutcome> outcomes = calls.get(call).stream()
                    .map(e -> SendOutcome.acked("orders.raw", 0, offset.getAndIncrement())).toList();
            pending.get(call).tryEmitValue(outcomes);
        }
    }

    /** A session whose inbound side is an endless fast client; what the handler sends is collected. */
    static final class FastClientSession extends AbstractWebSocketSession<Object> {
        final AtomicLong requested = new AtomicLong();
        final List<String> sent = new CopyOnWriteArrayList<>();

        FastClientSession(HttpHeaders headers) {
            super(new Object(), "fast-client", new HandshakeInfo(URI.create("ws://localhost/v1/events/ws"), headers,
                    Mono.empty(), null), DefaultDataBufferFactory.sharedInstance);
        }

        @Override
        public Flux<WebSocketMessage> receive() {
            return Flux.range(0, 1_000_000)
                    .map(i -> textMessage(Bodies.order("fast-" + i, "acc", "AAPL", System.currentTimeMillis())))
                    .doOnRequest(requested::addAndGet);
        }

        @Override
        public Mono<Void> send(Publisher<WebSocketMessage> messages) {
            return Flux.from(messages).doOnNext(m -> sent.add(m.getPayloadAsText())).then();
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public Mono<Void> close(CloseStatus status) {
            return Mono.empty();
        }

        @Override
        public Mono<CloseStatus> closeStatus() {
            return Mono.never();
        }
    }

    @Test
    void shouldStopReadingTheSocketWhenMaxInFlightMessagesAwaitKafka() {
        GatedSink kafka = new GatedSink();
        GatewayMetrics metrics = new GatewayMetrics(new SimpleMeterRegistry());
        IngestService service = new IngestService(new EventIntake(new IntakeLimits(65_536, 100, 8, 512, 300_000)),
                kafka, metrics, new RetryAfterPolicy(Duration.ofSeconds(5), Duration.ofSeconds(1)), Clock.systemUTC());
        RequestGuard guard = writeGuard();
        FastClientSession session = authorisedSession();

        Disposable connection = new EventsWebSocketHandler(service, guard, metrics, MAX_IN_FLIGHT).handle(session)
                .subscribe();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> kafka.calls.size() == MAX_IN_FLIGHT);
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(kafka.calls).hasSize(MAX_IN_FLIGHT);
                assertThat(session.requested.get()).as("messages taken from the socket")
                        .isLessThanOrEqualTo(MAX_IN_FLIGHT);
            });
            assertThat(session.sent).as("no ack before Kafka acknowledged").isEmpty();

            // acks go out in arrival order, so a later message's ack waits, and its slot frees with the earlier one
            kafka.acknowledge(1);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() ->
                    session.sent.isEmpty() && kafka.calls.size() == MAX_IN_FLIGHT);
            kafka.acknowledge(0);
            await().atMost(Duration.ofSeconds(5)).until(() -> session.sent.size() == 2
                    && kafka.calls.size() == MAX_IN_FLIGHT + 2);
            assertThat(session.sent.get(0)).contains("\"seq\":0", "\"eventId\":\"fast-0\"", "\"status\":\"accepted\"");
            assertThat(session.sent.get(1)).contains("\"seq\":1", "\"eventId\":\"fast-1\"");
            assertThat(session.requested.get()).as("one more message read per freed slot")
                    .isLessThanOrEqualTo(MAX_IN_FLIGHT + 2);
        } finally {
            connection.dispose();
        }
    }

    @Test
    void shouldAnswerEachEventOfAMessageUnavailableOverloadedWithRetryAfterMsWhileAdmissionRefuses() {
        GatedSink kafka = new GatedSink();
        GatewayMetrics metrics = new GatewayMetrics(new SimpleMeterRegistry());
        AdmissionControl admission = new AdmissionControl(
                new AdmissionLimits(Duration.ofSeconds(60), 2, Duration.ofMillis(1500)), System::nanoTime);
        IngestService service = new IngestService(new EventIntake(new IntakeLimits(65_536, 100, 8, 512, 300_000)),
                new AdmittingEventSink(kafka, admission, metrics), metrics,
                new RetryAfterPolicy(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMillis(1500)),
                Clock.systemUTC(), admission);
        RequestGuard guard = writeGuard();
        FastClientSession session = authorisedSession();

        Disposable connection = new EventsWebSocketHandler(service, guard, metrics, MAX_IN_FLIGHT).handle(session)
                .subscribe();
        try {
            // two one-event messages fill the admission cap; the next two are refused at once, unsent
            await().atMost(Duration.ofSeconds(10)).until(() -> session.requested.get() >= MAX_IN_FLIGHT);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(kafka.calls).hasSize(2));
            kafka.acknowledge(0);
            kafka.acknowledge(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> session.sent.size() >= 4);
            assertThat(session.sent.get(0)).contains("\"eventId\":\"fast-0\"", "\"status\":\"accepted\"");
            assertThat(session.sent.get(1)).contains("\"eventId\":\"fast-1\"", "\"status\":\"accepted\"");
            assertThat(session.sent.get(2)).contains("\"seq\":2", "\"eventId\":\"fast-2\"",
                    "\"status\":\"unavailable\"", "\"reason\":\"overloaded\"", "\"retryAfterMs\":1500");
            assertThat(session.sent.get(3)).contains("\"eventId\":\"fast-3\"", "\"reason\":\"overloaded\"");
            assertThat(kafka.calls.stream().flatMap(List::stream).map(IntakeItem.Valid::eventId))
                    .as("refused events never reached Kafka").doesNotContain("fast-2", "fast-3");
        } finally {
            connection.dispose();
        }
    }

    /** Lets the test's key write events. */
    private static RequestGuard writeGuard() {
        return new RequestGuard(new ApiKeyAuthenticator(List.of(new ApiKey("ws",
                ApiKeyAuthenticator.sha256Hex(SECRET), Set.of(Scopes.EVENTS_WRITE), 0))), RateLimiterRegistry.ofDefaults(),
                Scopes.EVENTS_WRITE);
    }

    /** A client session that sends the test's key. */
    private static FastClientSession authorisedSession() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + SECRET);
        return new FastClientSession(headers);
    }
}

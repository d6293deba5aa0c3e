package io.streamfleet.gateway.websocket;

import io.streamfleet.contracts.json.ContractMapper;
import io.streamfleet.gateway.intake.BodyFormat;
import io.streamfleet.gateway.intake.ItemStatus;
import io.streamfleet.gateway.publishing.GatewayMetrics;
import io.streamfleet.gateway.publishing.IngestReport;
import io.streamfleet.gateway.publishing.IngestService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.streamfleet.gateway.security.RequestGuard;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code /v1/events/ws}: each text or binary message holds one event or NDJSON lines (each event names its
 * {@code kind}). Every event gets an ack {@code {seq, eventId, status, reason, error}} on the same socket, in the
 * order the events arrived, and an accepted ack only after Kafka acknowledged the event. At most
 * {@code maxInFlightFrames} messages are being published at once; beyond that the connection is not read, so TCP
 * pushes back on a fast client instead of the gateway buffering. While the gateway is overloaded (the admission rule)
 * a message is answered at once: each valid event gets an {@code unavailable} ack with reason {@code overloaded} and
 * {@code retryAfterMs}, and none of it was sent to Kafka, so the client's resend cannot duplicate.
 */
public final class EventsWebSocketHandler implements WebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(EventsWebSocketHandler.class);

    private final IngestService service;
    private final RequestGuard guard;
    private final GatewayMetrics metrics;
    private final int maxInFlightFrames;

    public EventsWebSocketHandler(IngestService service, RequestGuard guard, GatewayMetrics metrics,
                                  int maxInFlightFrames) {
        this.service = service;
        this.guard = guard;
        this.metrics = metrics;
        this.maxInFlightFrames = maxInFlightFrames;
    }

    @Override
    public Mono<Void> handle(WebSocketSession session) {
        // the guard filter already refused bad keys (and charged the rate) before the upgrade
        String submittedBy = guard.identify(session.getHandshakeInfo().getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
        if (submittedBy == null) {
            log.warn("closing WebSocket {} from {}: the handshake carried no admitted API key", session.getId(),
                    session.getHandshakeInfo().getRemoteAddress());
            return session.close(CloseStatus.POLICY_VIOLATION.withReason("unauthenticated"));
        }
        metrics.webSocketConnections().incrementAndGet();
        AtomicLong seq = new AtomicLong();
        Flux<WebSocketMessage> acks = session.receive()
                .filter(message -> message.getType() == WebSocketMessage.Type.TEXT
                        || message.getType() == WebSocketMessage.Type.BINARY)
                .map(message -> bytes(message.getPayload()))
                .flatMapSequential(frame -> process(frame, submittedBy), maxInFlightFrames, 1)
                .concatMapIterable(list -> list)
                .map(ack -> {
                    ack.put("seq", seq.getAndIncrement());
                    return session.textMessage(ContractMapper.shared().writeValueAsString(ack));
                });
        return session.send(acks)
                .doFinally(signal -> metrics.webSocketConnections().decrementAndGet());
    }

    private Mono<List<Map<String, Object>>> process(byte[] frame, String submittedBy) {
        long started = System.nanoTime();
        return service.ingest(frame, BodyFormat.NDJSON, null, submittedBy, GatewayMetrics.WEBSOCKET, started)
                .map(report -> {
                    metrics.requestLatency(GatewayMetrics.WEBSOCKET, report.status(), System.nanoTime() - started);
                    return acks(report);
                });
    }

    private static List<Map<String, Object>> acks(IngestReport report) {
        if (report.isRefused()) {
            return List.of(ack(null, "rejected", report.refusal().reasonTag(),
                    report.refusal().title() + ": " + report.detail()));
        }
        Long retryAfterMs = report.retryAfter() == null ? null : report.retryAfter().toMillis();
        return report.results().stream()
                .map(r -> {
                    Map<String, Object> ack = ack(r.eventId(), r.status().wireName(), r.reason(), r.errorLine());
                    if (r.status() == ItemStatus.UNAVAILABLE && retryAfterMs != null) {
                        ack.put("retryAfterMs", retryAfterMs); // when to send it again (overloaded, Kafka down)
                    }
                    return ack;
                })
                .toList();
    }

    private static Map<String, Object> ack(String eventId, String status, String reason, String error) {
        Map<String, Object> ack = new LinkedHashMap<>();
        ack.put("seq", null);
        ack.put("eventId", eventId);
        ack.put("status", status);
        ack.put("reason", reason);
        ack.put("error", error);
        return ack;
    }

    private static byte[] bytes(DataBuffer payload) {
        byte[] bytes = new byte[payload.readableByteCount()];
        payload.read(bytes);
        return bytes;
    }

}

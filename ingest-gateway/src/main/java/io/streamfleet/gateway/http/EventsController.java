package io.streamfleet.gateway.http;

import io.streamfleet.gateway.intake.BodyFormat;
import io.streamfleet.gateway.intake.EventKind;
import io.streamfleet.gateway.intake.ItemStatus;
import io.streamfleet.gateway.intake.PublishFailure;
import io.streamfleet.gateway.intake.Refusal;
import io.streamfleet.gateway.problem.GatewayProblems;
import io.streamfleet.gateway.problem.Problems;
import io.streamfleet.gateway.publishing.EventSink;
import io.streamfleet.gateway.publishing.GatewayMetrics;
import io.streamfleet.gateway.publishing.IngestReport;
import io.streamfleet.gateway.publishing.IngestService;
import io.streamfleet.gateway.security.GuardDecision;
import io.streamfleet.gateway.security.RequestGuard;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.util.context.Context;

import java.util.Map;
import java.util.concurrent.Executor;

/**
 * {@code POST /v1/events}, {@code /v1/orders}, {@code /v1/engagement}: guard, content type and size checks, then the
 * shared ingest path. Answers only after Kafka acknowledged every accepted event; never with a 5xx for bad input.
 * The same routes with {@code /dry-run} appended take every step but the publish ({@link DryRun}): the answer says
 * per event what the real route would have done, with 200 instead of 202 and partition and offset -1. The routing
 * alone decides which path a request takes; the real routes have no check for it.
 */
@RestController
public class EventsController {

    private static final byte[] EMPTY = new byte[0];

    private final IngestService service;
    private final RequestGuard guard;
    private final GatewayMetrics metrics;
    private final DryRun dryRun;
    private final int maxBodyBytes;
    /** Off Netty (slice tests) there is no loop to lag: null. */
    private final EventLoopLagProbes loopLag;

    /** Dry runs share the guard and the meters of real requests (web slices). */
    public EventsController(IngestService service, RequestGuard guard, GatewayMetrics metrics) {
        this(service, guard, metrics, DryRun.sharing(service, guard, metrics));
    }

    @Autowired
    public EventsController(IngestService service, RequestGuard guard, GatewayMetrics metrics,
                            ObjectProvider<DryRun> dryRun, ObjectProvider<EventLoopLagProbes> loopLag) {
        this(service, guard, metrics, dryRun.getIfAvailable(() -> DryRun.sharing(service, guard, metrics)),
                loopLag.getIfAvailable());
    }

    public EventsController(IngestService service, RequestGuard guard, GatewayMetrics metrics, DryRun dryRun) {
        this(service, guard, metrics, dryRun, null);
    }

    public EventsController(IngestService service, RequestGuard guard, GatewayMetrics metrics, DryRun dryRun,
                            EventLoopLagProbes loopLag) {
        this.loopLag = loopLag;
        this.service = service;
        this.guard = guard;
        this.metrics = metrics;
        this.dryRun = dryRun;
        this.maxBodyBytes = service.intake().limits().maxBodyBytes();
    }

    @PostMapping("/v1/events")
    public Mono<ResponseEntity<Object>> events(ServerWebExchange exchange) {
        return timed(exchange, null);
    }

    @PostMapping("/v1/orders")
    public Mono<ResponseEntity<Object>> orders(ServerWebExchange exchange) {
        return timed(exchange, EventKind.ORDER);
    }

    @PostMapping("/v1/engagement")
    public Mono<ResponseEntity<Object>> engagement(ServerWebExchange exchange) {
        return timed(exchange, EventKind.ENGAGEMENT);
    }

    @PostMapping("/v1/events/dry-run")
    public Mono<ResponseEntity<Object>> eventsDryRun(ServerWebExchange exchange) {
        return dryRun(exchange, null);
    }

    @PostMapping("/v1/orders/dry-run")
    public Mono<ResponseEntity<Object>> ordersDryRun(ServerWebExchange exchange) {
        return dryRun(exchange, EventKind.ORDER);
    }

    @PostMapping("/v1/engagement/dry-run")
    public Mono<ResponseEntity<Object>> engagementDryRun(ServerWebExchange exchange) {
        return dryRun(exchange, EventKind.ENGAGEMENT);
    }

    private Mono<ResponseEntity<Object>> timed(ServerWebExchange exchange, EventKind kind) {
        return timed(exchange, kind, service, guard, metrics);
    }

    /** The real path with the dry run's parts; nothing was accepted for keeps, so 200 instead of 202. */
    private Mono<ResponseEntity<Object>> dryRun(ServerWebExchange exchange, EventKind kind) {
        return timed(exchange, kind, dryRun.service(), dryRun.guard(), dryRun.metrics())
                .map(response -> response.getStatusCode().value() == 202
                        ? ResponseEntity.ok().headers(response.getHeaders()).body(response.getBody()) : response);
    }

    private Mono<ResponseEntity<Object>> timed(ServerWebExchange exchange, EventKind kind, IngestService service,
                                               RequestGuard guard, GatewayMetrics metrics) {
        long started = System.nanoTime();
        return handle(exchange, kind, service, guard, metrics).doOnNext(response -> metrics.requestLatency(
                GatewayMetrics.HTTP, response.getStatusCode().value(), System.nanoTime() - started));
    }

    private Mono<ResponseEntity<Object>> handle(ServerWebExchange exchange, EventKind kind, IngestService service,
                                                RequestGuard guard, GatewayMetrics metrics) {
        ServerHttpRequest request = exchange.getRequest();
        String path = request.getPath().value();
        GuardDecision decision = guard.check(request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
        if (!decision.ok()) {
            metrics.refused(decision.outcome().name().toLowerCase(), GatewayMetrics.HTTP);
            return Mono.just(GatewayProblems.denied(decision, path));
        }
        BodyFormat format = formatOf(request.getHeaders().getContentType());
        if (format == null) {
            metrics.refused("unsupported_media_type", GatewayMetrics.HTTP);
            return Mono.just(GatewayProblems.unsupportedMediaType(
                    request.getHeaders().getFirst(HttpHeaders.CONTENT_TYPE), path));
        }
        if (request.getHeaders().getContentLength() > maxBodyBytes) {
            return Mono.just(tooLarge(path, metrics));
        }
        Executor eventLoop = eventLoopOf(request);
        Mono<ResponseEntity<Object>> response = DataBufferUtils.join(request.getBody(), maxBodyBytes)
                .map(EventsController::bytes)
                .defaultIfEmpty(EMPTY)
                .flatMap(body -> service.ingest(body, format, kind, decision.keyId(), GatewayMetrics.HTTP,
                        receivedNanos(eventLoop)))
                .map(report -> respond(report, path))
                .onErrorResume(DataBufferLimitException.class, e -> Mono.just(tooLarge(path, metrics)));
        return eventLoop == null ? response : response.contextWrite(Context.of(EventSink.COMPLETE_ON, eventLoop));
    }

    /**
     * When the request reached the gateway, for its age at admission: its body was just read, and before that it waited
     * in its socket about as long as its event loop is behind (a slow upload is not counted: the loop reads as bytes
     * come). Without a loop, the read itself.
     */
    private long receivedNanos(Executor eventLoop) {
        long now = System.nanoTime();
        return loopLag == null || eventLoop == null ? now : now - loopLag.behindNanos(eventLoop);
    }

    /** The Netty event loop serving this request, so Kafka's answer comes back to it in one hop; null off Netty. */
    private static Executor eventLoopOf(ServerHttpRequest request) {
        try {
            Object connection = ServerHttpRequestDecorator.getNativeRequest(request);
            return connection instanceof Connection c ? c.channel().eventLoop() : null;
        } catch (IllegalStateException e) {
            return null; // a mock request (slice tests): no server, answered on the sink's own scheduler
        }
    }

    private ResponseEntity<Object> tooLarge(String path, GatewayMetrics metrics) {
        metrics.refused("body_too_large", GatewayMetrics.HTTP);
        return GatewayProblems.bodyTooLarge(maxBodyBytes, path);
    }

    private ResponseEntity<Object> respond(IngestReport report, String path) {
        HttpHeaders headers = new HttpHeaders();
        Map<String, Object> retry = null;
        if (report.retryAfter() != null) {
            long seconds = GatewayProblems.seconds(report.retryAfter());
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
            retry = Map.of("retryAfterSeconds", seconds);
        }
        if (report.isRefused()) {
            return Problems.response(report.status(), report.refusal().slug(), report.refusal().title(),
                    report.detail(), path, retry, headers);
        }
        int total = report.results().size();
        return switch (report.verdict()) {
            case ALL_ACCEPTED, MIXED -> ResponseEntity.status(report.status()).headers(headers)
                    .contentType(MediaType.APPLICATION_JSON).body(ResultViews.summaryJson(report.results()));
            case ALL_REJECTED -> Problems.response(400, "validation-failed", "No event is valid",
                    total == 1 ? "the event is invalid; see results[].errors"
                            : "none of the " + total + " events is valid; see results[].errors",
                    path, ResultViews.summary(report.results()), headers);
            case NONE_AVAILABLE -> overloaded(report)
                    ? Problems.response(503, Refusal.OVERLOADED.slug(), Refusal.OVERLOADED.title(),
                    "the gateway is overloaded: its publish queue would hold these events longer than max-hold, so "
                            + "none was sent to Kafka; send them again after Retry-After", path,
                    withRetry(ResultViews.summary(report.results()), retry), headers)
                    : Problems.response(503, "unavailable", "Kafka is unavailable",
                    "no event was acknowledged by Kafka; retry after the advised delay", path,
                    withRetry(ResultViews.summary(report.results()), retry), headers);
        };
    }

    /** True when the events were refused by the admission rule (none of them was sent), not failed by Kafka. */
    private static boolean overloaded(IngestReport report) {
        return report.results().stream().filter(r -> r.status() == ItemStatus.UNAVAILABLE)
                .allMatch(r -> PublishFailure.OVERLOADED.tag().equals(r.reason()));
    }

    private static Map<String, Object> withRetry(Map<String, Object> body, Map<String, Object> retry) {
        if (retry != null) {
            body.putAll(retry);
        }
        return body;
    }

    private static BodyFormat formatOf(MediaType type) {
        if (type == null || !"application".equals(type.getType())) {
            return null;
        }
        return switch (type.getSubtype()) {
            case "json" -> BodyFormat.JSON;
            case "x-ndjson" -> BodyFormat.NDJSON;
            default -> null;
        };
    }

    private static byte[] bytes(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }
}

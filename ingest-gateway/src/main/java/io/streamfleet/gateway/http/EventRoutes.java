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
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.MethodNotAllowedException;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.util.context.Context;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * {@code POST /v1/events}, {@code /v1/orders}, {@code /v1/engagement}: guard, content type and size checks, then the
 * shared ingest path. Answers only after Kafka acknowledged every accepted event; never with a 5xx for bad input.
 * The same routes with {@code /dry-run} appended take every step but the publish ({@link DryRun}): the answer says
 * per event what the real route would have done, with 200 instead of 202 and partition and offset -1. The routing
 * alone decides which path a request takes; the real routes have no check for it.
 * <p>
 * Functional routes rather than an annotated controller: at 5 000 single events a second the annotated dispatch
 * (mapping look-up, argument and return-type introspection, content negotiation of the result) was about a fifth of
 * the event loops' CPU; here a route is a path match and a 2xx answer is the summary's bytes written as they are.
 * Every other method on these paths is answered 405 with {@code Allow: POST}, as an annotated route would be.
 */
@Component
public class EventRoutes implements RouterFunction<ServerResponse> {

    private static final byte[] EMPTY = new byte[0];
    private static final Set<HttpMethod> ALLOWED = Set.of(HttpMethod.POST);
    private static final String DRY_RUN_SUFFIX = "/dry-run";
    private static final List<Endpoint> ENDPOINTS = List.of(new Endpoint("/v1/events", null),
            new Endpoint("/v1/orders", EventKind.ORDER), new Endpoint("/v1/engagement", EventKind.ENGAGEMENT));

    private final IngestService service;
    private final RequestGuard guard;
    private final GatewayMetrics metrics;
    private final DryRun dryRun;
    private final int maxBodyBytes;
    /** Off Netty (slice tests) there is no loop to lag: null. */
    private final EventLoopLagProbes loopLag;
    private final RouterFunction<ServerResponse> routes;

    /** Dry runs share the guard and the meters of real requests (web slices). */
    public EventRoutes(IngestService service, RequestGuard guard, GatewayMetrics metrics) {
        this(service, guard, metrics, DryRun.sharing(service, guard, metrics));
    }

    @Autowired
    public EventRoutes(IngestService service, RequestGuard guard, GatewayMetrics metrics,
                       ObjectProvider<DryRun> dryRun, ObjectProvider<EventLoopLagProbes> loopLag) {
        this(service, guard, metrics, dryRun.getIfAvailable(() -> DryRun.sharing(service, guard, metrics)),
                loopLag.getIfAvailable());
    }

    public EventRoutes(IngestService service, RequestGuard guard, GatewayMetrics metrics, DryRun dryRun) {
        this(service, guard, metrics, dryRun, null);
    }

    public EventRoutes(IngestService service, RequestGuard guard, GatewayMetrics metrics, DryRun dryRun,
                       EventLoopLagProbes loopLag) {
        this.loopLag = loopLag;
        this.service = service;
        this.guard = guard;
        this.metrics = metrics;
        this.dryRun = dryRun;
        this.maxBodyBytes = service.intake().limits().maxBodyBytes();
        this.routes = build();
    }

    private RouterFunction<ServerResponse> build() {
        RouterFunctions.Builder builder = RouterFunctions.route();
        for (Endpoint endpoint : ENDPOINTS) {
            String path = endpoint.path();
            builder.POST(path, request -> timed(request, endpoint.kind(), false))
                    .POST(path + DRY_RUN_SUFFIX, request -> timed(request, endpoint.kind(), true))
                    .route(RequestPredicates.path(path).or(RequestPredicates.path(path + DRY_RUN_SUFFIX)),
                            EventRoutes::methodNotAllowed);
        }
        return builder.build();
    }

    /** A route and the event kind it takes; null: any kind, told by each event's own fields. */
    private record Endpoint(String path, EventKind kind) {
    }

    @Override
    public Mono<HandlerFunction<ServerResponse>> route(ServerRequest request) {
        return routes.route(request);
    }

    @Override
    public void accept(RouterFunctions.Visitor visitor) {
        routes.accept(visitor);
    }

    /** Raised, not answered: the fleet's error handler writes the 405 problem with its {@code Allow} header. */
    private static Mono<ServerResponse> methodNotAllowed(ServerRequest request) {
        return Mono.error(new MethodNotAllowedException(request.method(), ALLOWED));
    }

    /** The real path, or the dry run's parts: nothing is accepted for keeps there, so 200 instead of 202. */
    private Mono<ServerResponse> timed(ServerRequest request, EventKind kind, boolean dry) {
        GatewayMetrics meters = dry ? dryRun.metrics() : metrics;
        long started = System.nanoTime();
        return handle(request.exchange().getRequest(), kind, dry ? dryRun.service() : service,
                dry ? dryRun.guard() : guard, meters, dry)
                .doOnNext(response -> meters.requestLatency(GatewayMetrics.HTTP, response.statusCode().value(),
                        System.nanoTime() - started));
    }

    private Mono<ServerResponse> handle(ServerHttpRequest request, EventKind kind, IngestService service,
                                        RequestGuard guard, GatewayMetrics metrics, boolean dry) {
        String path = request.getPath().value();
        GuardDecision decision = guard.check(request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
        if (!decision.ok()) {
            metrics.refused(decision.outcome().name().toLowerCase(), GatewayMetrics.HTTP);
            return answer(GatewayProblems.denied(decision, path));
        }
        BodyFormat format = formatOf(request.getHeaders().getContentType());
        if (format == null) {
            metrics.refused("unsupported_media_type", GatewayMetrics.HTTP);
            return answer(GatewayProblems.unsupportedMediaType(
                    request.getHeaders().getFirst(HttpHeaders.CONTENT_TYPE), path));
        }
        if (request.getHeaders().getContentLength() > maxBodyBytes) {
            return answer(tooLarge(path, metrics));
        }
        Executor eventLoop = eventLoopOf(request);
        Mono<ServerResponse> response = DataBufferUtils.join(request.getBody(), maxBodyBytes)
                .map(EventRoutes::bytes)
                .defaultIfEmpty(EMPTY)
                .flatMap(body -> service.ingest(body, format, kind, decision.keyId(), GatewayMetrics.HTTP,
                        receivedNanos(eventLoop)))
                .flatMap(report -> respond(report, path, dry))
                .onErrorResume(DataBufferLimitException.class, e -> answer(tooLarge(path, metrics)));
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

    /** A 2xx answer is the summary's bytes as they are: no map, no codec look-up, no negotiation. */
    private Mono<ServerResponse> respond(IngestReport report, String path, boolean dry) {
        HttpHeaders headers = new HttpHeaders();
        Map<String, Object> retry = null;
        if (report.retryAfter() != null) {
            long seconds = GatewayProblems.seconds(report.retryAfter());
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
            retry = Map.of("retryAfterSeconds", seconds);
        }
        if (report.isRefused()) {
            return answer(Problems.response(report.status(), report.refusal().slug(), report.refusal().title(),
                    report.detail(), path, retry, headers));
        }
        int total = report.results().size();
        return switch (report.verdict()) {
            case ALL_ACCEPTED, MIXED -> {
                byte[] json = ResultViews.summaryJson(report.results());
                yield ServerResponse.status(dry && report.status() == 202 ? 200 : report.status())
                        .headers(h -> h.addAll(headers)).contentType(MediaType.APPLICATION_JSON)
                        .contentLength(json.length)
                        .body(BodyInserters.fromDataBuffers(Mono.just(DefaultDataBufferFactory.sharedInstance
                                .wrap(json))));
            }
            case ALL_REJECTED -> answer(Problems.response(400, "validation-failed", "No event is valid",
                    total == 1 ? "the event is invalid; see results[].errors"
                            : "none of the " + total + " events is valid; see results[].errors",
                    path, ResultViews.summary(report.results()), headers));
            case NONE_AVAILABLE -> answer(overloaded(report)
                    ? Problems.response(503, Refusal.OVERLOADED.slug(), Refusal.OVERLOADED.title(),
                    "the gateway is overloaded: its publish queue would hold these events longer than max-hold, so "
                            + "none was sent to Kafka; send them again after Retry-After", path,
                    withRetry(ResultViews.summary(report.results()), retry), headers)
                    : Problems.response(503, "unavailable", "Kafka is unavailable",
                    "no event was acknowledged by Kafka; retry after the advised delay", path,
                    withRetry(ResultViews.summary(report.results()), retry), headers));
        };
    }

    /** A problem answer (built as a {@link ResponseEntity} where the gateway's problems are made) as a response. */
    private static Mono<ServerResponse> answer(ResponseEntity<Object> problem) {
        ServerResponse.BodyBuilder response = ServerResponse.status(problem.getStatusCode())
                .headers(h -> h.addAll(problem.getHeaders()));
        return problem.getBody() == null ? response.build() : response.bodyValue(problem.getBody());
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

package io.streamfleet.bench.driver;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.streamfleet.bench.scenario.BenchEvent;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * HTTP/1.1 to the gateway: batches as a JSON array to {@code POST /v1/events}, or one event per request to
 * {@code /v1/orders} / {@code /v1/engagement}. Reactor Netty's client over a fixed pool of keep-alive connections
 * (requests beyond it wait for a free connection, and that wait counts as latency) on {@code threads} event loops.
 * The open loop paces its sends on the first of them ({@link #pacingLoop()}), so a send is a call on the thread that
 * writes it. Checked against {@code wrk} at the same fixed rates (docs/ingest-gateway.md): the same rate and service
 * time, at two to four times wrk's CPU per request. The JDK's client opened a connection per concurrent request and
 * limited single-event runs to about 1 000 req/s.
 */
public final class HttpTransport implements Transport {

    /** Connections when the caller does not say. */
    public static final int DEFAULT_CONNECTIONS = 64;

    private static final String ORDERS = "/v1/orders";
    private static final String ENGAGEMENT = "/v1/engagement";
    private static final String EVENTS = "/v1/events";

    private final HttpClient client;
    // each of post() and uri() copies the client's whole configuration: done once per path, not per request
    private final HttpClient.RequestSender toOrders;
    private final HttpClient.RequestSender toEngagement;
    private final HttpClient.RequestSender toEvents;
    private final ConnectionProvider pool;
    private final LoopResources loops;
    private final String authorization;
    private final int batchSize;
    private final ScheduledExecutorService pacingLoop;

    private HttpTransport(String gatewayUrl, String apiKey, int batchSize, Duration timeout, int connections,
                          int threads) {
        if (connections < 1 || threads < 1) {
            throw new IllegalArgumentException("connections and threads must be >= 1");
        }
        String base = gatewayUrl.endsWith("/") ? gatewayUrl.substring(0, gatewayUrl.length() - 1) : gatewayUrl;
        this.pool = ConnectionProvider.builder("fleet-bench-http").maxConnections(connections)
                .pendingAcquireMaxCount(-1).pendingAcquireTimeout(timeout).build();
        this.loops = LoopResources.create("fleet-bench-http", threads, true);
        this.authorization = "Bearer " + apiKey;
        this.client = HttpClient.create(pool).runOn(loops).baseUrl(base).responseTimeout(timeout)
                .headers(h -> h.set(HttpHeaderNames.AUTHORIZATION, authorization)
                        .set(HttpHeaderNames.CONTENT_TYPE, "application/json"));
        this.toOrders = client.post().uri(ORDERS);
        this.toEngagement = client.post().uri(ENGAGEMENT);
        this.toEvents = client.post().uri(EVENTS);
        this.batchSize = batchSize;
        this.pacingLoop = loops.onClient(LoopResources.DEFAULT_NATIVE).next();
        warmUp(timeout);
    }

    /**
     * Loads and links the client's request path (pool, codec, response reading) with one POST to a throwaway server
     * on loopback, so the first timed request to the gateway does not pay for the client's own start (about 1 s).
     */
    private void warmUp(Duration timeout) {
        client.warmup().block(timeout);
        DisposableServer local = HttpServer.create().host("127.0.0.1").port(0)
                .handle((request, response) -> request.receive().then(response.status(202).send()))
                .bindNow();
        ConnectionProvider warmPool = ConnectionProvider.create("fleet-bench-warm-up", 1);
        try {
            HttpClient warm = HttpClient.create(warmPool).runOn(loops).responseTimeout(timeout);
            for (int i = 0; i < 20; i++) {
                warm.post().uri("http://127.0.0.1:" + local.port() + "/warm-up")
                        .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(new byte[] {'{', '}'})))
                        .responseSingle((response, content) -> content.asString().defaultIfEmpty(""))
                        .block(timeout);
            }
        } finally {
            warmPool.disposeLater().block(timeout);
            local.disposeNow();
        }
    }

    /** JSON-array batches of the given size to {@code /v1/events}. */
    public static HttpTransport batch(String gatewayUrl, String apiKey, int batchSize, Duration timeout) {
        return batch(gatewayUrl, apiKey, batchSize, timeout, DEFAULT_CONNECTIONS, 1);
    }

    /** JSON-array batches over at most {@code connections} connections served by {@code threads} event loops. */
    public static HttpTransport batch(String gatewayUrl, String apiKey, int batchSize, Duration timeout,
                                      int connections, int threads) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1");
        }
        return new HttpTransport(gatewayUrl, apiKey, batchSize, timeout, connections, threads);
    }

    /** One event per request to the per-kind endpoints. */
    public static HttpTransport single(String gatewayUrl, String apiKey, Duration timeout) {
        return single(gatewayUrl, apiKey, timeout, DEFAULT_CONNECTIONS, 1);
    }

    /** One event per request over at most {@code connections} connections served by {@code threads} event loops. */
    public static HttpTransport single(String gatewayUrl, String apiKey, Duration timeout, int connections,
                                       int threads) {
        return new HttpTransport(gatewayUrl, apiKey, 0, timeout, connections, threads);
    }

    @Override
    public int batchSize() {
        return Math.max(1, batchSize);
    }

    /** The client's event loop (the first, with several): sends issued on it are written without a thread hop. */
    @Override
    public Optional<ScheduledExecutorService> pacingLoop() {
        return Optional.of(pacingLoop);
    }

    @Override
    public CompletableFuture<SendResult> send(List<BenchEvent> batch) {
        String path;
        String body;
        if (batchSize == 0) {
            BenchEvent event = batch.get(0);
            path = event.isOrder() ? ORDERS : ENGAGEMENT;
            body = WireJson.event(event, false);
        } else {
            path = EVENTS;
            body = WireJson.array(batch);
        }
        return post(path, body.getBytes(StandardCharsets.UTF_8), batch.size());
    }

    /** Posts a body and reads the answer as {@link GatewayResponses} does; never completes exceptionally. */
    CompletableFuture<SendResult> post(String path, byte[] body, int events) {
        HttpClient.RequestSender sender = switch (path) {
            case ORDERS -> toOrders;
            case ENGAGEMENT -> toEngagement;
            case EVENTS -> toEvents;
            default -> client.post().uri(path);
        };
        return sender.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
                .responseSingle((response, content) -> {
                    int status = response.status().code();
                    String retryAfter = response.responseHeaders().get(HttpHeaderNames.RETRY_AFTER);
                    // a 207 and the refusals need their body read (which events, why); the others are judged by status
                    return status == 207 || status == 503 || status == 429
                            ? content.asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                                    .map(text -> GatewayResponses.read(events, status, text, retryAfter))
                            : content.then(Mono.fromSupplier(() -> GatewayResponses.read(events, status, "")));
                })
                .onErrorResume(e -> Mono.just(SendResult.failed(events, e)))
                .toFuture();
    }

    @Override
    public void close() {
        try {
            pool.disposeLater().block(Duration.ofSeconds(5));
            loops.disposeLater().block(Duration.ofSeconds(5));
        } catch (IllegalStateException e) {
            // still closing after 5 s on a starved machine: the run's figures are out, and the threads are daemons
        }
    }
}

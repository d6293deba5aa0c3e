package io.streamfleet.bench.driver;

import io.streamfleet.bench.scenario.BenchEvent;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * HTTP/1.1 to the gateway: batches as a JSON array to {@code POST /v1/events}, or one event per request to
 * {@code /v1/orders} / {@code /v1/engagement}.
 */
public final class HttpTransport implements Transport {

    private final HttpClient client;
    private final ExecutorService executor;
    private final URI events;
    private final URI orders;
    private final URI engagement;
    private final String authorization;
    private final int batchSize;
    private final Duration timeout;

    private HttpTransport(String gatewayUrl, String apiKey, int batchSize, Duration timeout) {
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "bench-http");
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String base = gatewayUrl.endsWith("/") ? gatewayUrl.substring(0, gatewayUrl.length() - 1) : gatewayUrl;
        this.events = URI.create(base + "/v1/events");
        this.orders = URI.create(base + "/v1/orders");
        this.engagement = URI.create(base + "/v1/engagement");
        this.authorization = "Bearer " + apiKey;
        this.batchSize = batchSize;
        this.timeout = timeout;
    }

    /** JSON-array batches of the given size to {@code /v1/events}. */
    public static HttpTransport batch(String gatewayUrl, String apiKey, int batchSize, Duration timeout) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1");
        }
        return new HttpTransport(gatewayUrl, apiKey, batchSize, timeout);
    }

    /** One event per request to the per-kind endpoints. */
    public static HttpTransport single(String gatewayUrl, String apiKey, Duration timeout) {
        return new HttpTransport(gatewayUrl, apiKey, 0, timeout);
    }

    @Override
    public int batchSize() {
        return Math.max(1, batchSize);
    }

    @Override
    public CompletableFuture<SendResult> send(List<BenchEvent> batch) {
        URI uri;
        String body;
        if (batchSize == 0) {
            BenchEvent event = batch.get(0);
            uri = event.isOrder() ? orders : engagement;
            body = WireJson.event(event, false);
        } else {
            uri = events;
            body = WireJson.array(batch);
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        int n = batch.size();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> GatewayResponses.read(n, r.statusCode(), r.body()))
                .exceptionally(e -> SendResult.failed(n, e));
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}

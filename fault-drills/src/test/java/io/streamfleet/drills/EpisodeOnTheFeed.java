package io.streamfleet.drills;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The end-to-end check of a fleet however it runs (service jars, containers, compose): a burst episode for a fresh
 * account posted to the gateway comes out as an alert on alert-api's SSE feed.
 */
public final class EpisodeOnTheFeed {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private EpisodeOnTheFeed() {
    }

    /**
     * Subscribes to {@code alertStream}, posts the episode to {@code gatewayOrders} with {@code apiKey}, and asserts
     * an alert naming the account arrives within {@code timeout}.
     */
    public static void assertArrives(URI gatewayOrders, URI alertStream, String apiKey, String accountPrefix,
                                     Duration timeout) throws Exception {
        String account = accountPrefix + "-" + System.nanoTime();
        CompletableFuture<String> alert = firstAlertFor(alertStream, apiKey, account);
        Thread.sleep(500); // the SSE subscription is live before the episode's alert can be published
        HttpResponse<String> posted = HTTP.send(HttpRequest.newBuilder(gatewayOrders)
                .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        BurstEpisode.ordersJson(account, "NVDA", System.currentTimeMillis())))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isBetween(200, 299);

        assertThat(alert.get(timeout.toSeconds(), TimeUnit.SECONDS)).contains(account);
    }

    /** The first SSE data line naming {@code account}; the stream is closed by the future's completion. */
    private static CompletableFuture<String> firstAlertFor(URI stream, String apiKey, String account) {
        HttpRequest request = HttpRequest.newBuilder(stream).header("Authorization", "Bearer " + apiKey)
                .header("Accept", "text/event-stream").GET().build();
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenApply(response -> {
            try (Stream<String> lines = response.body()) {
                return lines.filter(l -> l.startsWith("data:") && l.contains(account)).findFirst()
                        .orElse("stream ended without an alert for " + account);
            }
        });
    }
}

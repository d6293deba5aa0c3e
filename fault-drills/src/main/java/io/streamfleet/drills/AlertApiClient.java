package io.streamfleet.drills;

import io.streamfleet.contracts.json.ContractMapper;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The webhook admin API of alert-api, as an operator would call it. */
final class AlertApiClient {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;
    private final String authorization;

    AlertApiClient(String alertApiUrl, String apiKey) {
        this.base = alertApiUrl;
        this.authorization = "Bearer " + apiKey;
    }

    /** Subscribes the receiver to every alert and hands it the signing secret; returns the subscription id. */
    String subscribe(WebhookReceiver receiver) {
        JsonNode created = call("POST", "/v1/webhooks",
                "{\"url\":\"" + receiver.url() + "\",\"description\":\"fault drill " + receiver.name() + "\"}", 201);
        receiver.secret(created.path("secret").asString());
        return created.path("webhook").path("id").asString();
    }

    void delete(String id) {
        call("DELETE", "/v1/webhooks/" + id, null, -1);
    }

    int deadLetters(String id) {
        JsonNode node = call("GET", "/v1/webhooks/" + id + "/dead-letters", null, 200);
        JsonNode items = node.isArray() ? node : node.path("items");
        return items.size();
    }

    int redeliverAll(String id) {
        return call("POST", "/v1/webhooks/" + id + "/redeliver", "{}", -1).path("redelivering").asInt(0);
    }

    private JsonNode call(String method, String path, String body, int expected) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", authorization)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (expected > 0 && response.statusCode() != expected) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body().isBlank() ? ContractMapper.shared().createObjectNode()
                    : ContractMapper.shared().readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

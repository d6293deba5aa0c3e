package io.streamfleet.launcher.process;

import io.streamfleet.contracts.json.ContractMapper;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Asks a service's readiness endpoint. */
public final class HealthProbe {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private HealthProbe() {
    }

    /** "UP", "DOWN", "OUT_OF_SERVICE" from the readiness group, or "UNREACHABLE". */
    public static String readiness(int port) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(3)).GET().build();
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode status = ContractMapper.shared().readTree(response.body()).get("status");
            return status != null && status.isString() ? status.asString() : "HTTP " + response.statusCode();
        } catch (JacksonException e) {
            return "UNPARSEABLE";
        } catch (IOException e) {
            return "UNREACHABLE";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "UNREACHABLE";
        }
    }
}

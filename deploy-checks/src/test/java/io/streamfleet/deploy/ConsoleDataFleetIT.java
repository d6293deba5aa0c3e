package io.streamfleet.deploy;

import io.streamfleet.contracts.json.ContractMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's data paths with every real service: the whole fleet from the repository's jars, with its demo
 * traffic (which includes an early engagement drop and burst episodes). alert-api must serve, for the first
 * engagement-drop alert, the user's baseline history from the real session-analytics (the dropped session marked),
 * and for a burst alert the matched orders that cep-detector wrote to {@code alerts.evidence}. ConsoleIT draws these
 * in a browser against a stand-in; this test is the real path behind it.
 */
class ConsoleDataFleetIT {

    private static final Duration WAIT = Duration.ofMinutes(4);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @TempDir
    static Path fleetDir;
    static LaunchedFleet fleet;
    static String key;

    @BeforeAll
    static void startFleetWithDemo() throws Exception {
        fleet = LaunchedFleet.up(fleetDir, true);
        key = fleet.devKey();
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void shouldServeTheDroppedSessionsBaselineHistoryFromSessionAnalyticsForAnEngagementDropAlert() throws Exception {
        JsonNode alert = firstAlert("ENGAGEMENT_DROP");
        String alertId = alert.path("alertId").asString();

        HttpResponse<String> response = get("/v1/alerts/" + alertId + "/baseline");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode baseline = ContractMapper.shared().readTree(response.body());
        assertThat(baseline.path("userId").asString()).isEqualTo(alert.path("userId").asString());
        List<JsonNode> history = new ArrayList<>();
        baseline.path("history").forEach(history::add);
        assertThat(history).as("sessions with the baseline each was judged by").isNotEmpty()
                .anySatisfy(point -> {
                    assertThat(point.path("drop").asBoolean()).isTrue();
                    assertThat(point.path("asdMs").asDouble()).isLessThan(point.path("baselineBeforeMs").asDouble());
                });
    }

    @Test
    void shouldServeTheMatchedOrdersCepDetectorWroteForABurstAlert() throws Exception {
        JsonNode alert = firstAlert("BURST_CREATE_MASS_CANCEL");
        String alertId = alert.path("alertId").asString();

        HttpResponse<String> response = awaitOk("/v1/alerts/" + alertId + "/evidence");

        JsonNode evidence = ContractMapper.shared().readTree(response.body());
        assertThat(evidence.path("alertId").asString()).isEqualTo(alertId);
        assertThat(evidence.path("totalCreated").asInt()).isPositive();
        assertThat(evidence.path("totalCanceled").asInt()).isPositive();
        List<String> types = new ArrayList<>();
        evidence.path("orders").forEach(order -> types.add(order.path("eventType").asString()));
        assertThat(types).as("the matched orders").contains("CREATED", "CANCELLED");
    }

    /** The first alert of the type in alert-api's history, waiting for the demo to produce one (bounded). */
    private static JsonNode firstAlert(String type) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> page = get("/v1/alerts?type=" + type + "&limit=1");
            if (page.statusCode() == 200) {
                JsonNode items = ContractMapper.shared().readTree(page.body()).path("items");
                if (!items.isEmpty()) {
                    return items.get(0).path("alert");
                }
            }
            Thread.sleep(2_000);
        }
        throw new AssertionError("no " + type + " alert within " + WAIT + " of the demo's start; launcher said:\n"
                + fleet.launcherOutput());
    }

    /** Evidence is read from its own topic and may arrive a moment after the alert. */
    private static HttpResponse<String> awaitOk(String path) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        HttpResponse<String> response = get(path);
        while (response.statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(1_000);
            response = get(path);
        }
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return response;
    }

    private static HttpResponse<String> get(String path) throws Exception {
        URI uri = URI.create("http://localhost:" + fleet.port("alert-api") + path);
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}

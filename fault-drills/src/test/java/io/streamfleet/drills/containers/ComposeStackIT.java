package io.streamfleet.drills.containers;

import io.streamfleet.drills.DrillFleet;
import io.streamfleet.drills.EpisodeOnTheFeed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * docker-compose.yml as a user runs it: the service images built from the project's Dockerfile, Kafka, Prometheus and
 * Grafana. An episode posted through the gateway arrives as an alert on alert-api's SSE feed, Prometheus has scraped
 * every service, Grafana has provisioned every dashboard of the chart. Skipped without a Docker engine or without
 * built jars (the Dockerfile copies them). The compose file publishes fixed host ports (8080–8084, 9090, 3000, 9092):
 * nothing else may hold them while it runs.
 */
@RequiresDocker
@Testcontainers(disabledWithoutDocker = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComposeStackIT {

    /** The compose file's demo key (docker-compose.yml configures only its SHA-256). */
    private static final String DEMO_KEY = "streamfleet-compose-demo-key";
    private static final List<String> SERVICES = List.of("ingest-gateway", "stream-processor", "cep-detector",
            "session-analytics", "alert-api");
    private static final List<Integer> PORTS = List.of(8080, 8081, 8082, 8083, 8084);
    private static final Duration START = Duration.ofMinutes(10);

    private final Path repo = Path.of(System.getProperty("drills.repo", "..")).toAbsolutePath().normalize();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private ComposeContainer stack;

    @BeforeAll
    void startStack() {
        assumeTrue(DrillFleet.missingJars(repo).isEmpty(), "fleet jars not built: " + DrillFleet.missingJars(repo));
        stack = new ComposeContainer(repo.resolve("docker-compose.yml").toFile()).withBuild(true)
                .withRemoveVolumes(true).withStartupTimeout(START);
        for (int i = 0; i < SERVICES.size(); i++) {
            stack.withExposedService(SERVICES.get(i), PORTS.get(i),
                    Wait.forHttp("/actuator/health/readiness").forStatusCode(200).withStartupTimeout(START));
        }
        stack.withExposedService("prometheus", 9090, Wait.forHttp("/-/ready").forStatusCode(200))
                .withExposedService("grafana", 3000, Wait.forHttp("/api/health").forStatusCode(200));
        stack.start();
    }

    @AfterAll
    void stopStack() {
        if (stack != null) {
            stack.stop();
        }
    }

    @Test
    void shouldDeliverAnEpisodesAlertOnSseWhenItIsPostedThroughTheGateway() throws Exception {
        EpisodeOnTheFeed.assertArrives(url("ingest-gateway", 8080, "/v1/orders"),
                url("alert-api", 8084, "/v1/alerts/stream"), DEMO_KEY, "acc-compose", Duration.ofSeconds(120));
    }

    @Test
    void shouldHaveEveryServiceScrapedByPrometheusWhenTheStackIsUp() {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            JsonNode targets = getJson(url("prometheus", 9090, "/api/v1/targets?state=active"), null);
            Set<String> upJobs = new TreeSet<>();
            for (JsonNode target : targets.path("data").path("activeTargets")) {
                if ("up".equals(target.path("health").asString())) {
                    upJobs.add(target.path("labels").path("job").asString() + " "
                            + target.path("labels").path("instance").asString());
                }
            }
            assertThat(String.join("\n", upJobs)).contains(SERVICES.toArray(String[]::new));
        });
    }

    @Test
    void shouldHaveEveryDashboardOfTheChartProvisionedInGrafanaWhenTheStackIsUp() throws IOException {
        Set<String> expected = new TreeSet<>();
        try (Stream<Path> files = Files.list(repo.resolve("helm/streamfleet/files/dashboards"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                expected.add(JsonMapper.builder().build().readTree(file.toFile()).path("uid").asString());
            }
        }
        String admin = Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8));

        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            Set<String> provisioned = new TreeSet<>();
            getJson(url("grafana", 3000, "/api/search?type=dash-db"), "Basic " + admin)
                    .forEach(d -> provisioned.add(d.path("uid").asString()));
            assertThat(provisioned).containsAll(expected);
        });
        assertThat(expected).hasSize(6);
    }

    private URI url(String service, int port, String path) {
        return URI.create("http://" + stack.getServiceHost(service, port) + ":" + stack.getServicePort(service, port)
                + path);
    }

    private JsonNode getJson(URI uri, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(uri + ": " + response.body()).isEqualTo(200);
        return JsonMapper.builder().build().readTree(response.body());
    }
}

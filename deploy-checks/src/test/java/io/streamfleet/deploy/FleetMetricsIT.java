package io.streamfleet.deploy;

import io.streamfleet.launcher.FleetLayout;
import io.streamfleet.launcher.ServiceSpec;
import io.streamfleet.launcher.process.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Starts the real fleet once (broker and five services as processes, via the launcher), sends a little traffic,
 * scrapes every service and checks that each metric a dashboard or an alert rule queries is exposed. Then runs a real
 * Prometheus (Debian's binary) on loopback against the fleet and checks the dashboards' key queries return data.
 */
class FleetMetricsIT {

    /**
     * Names a service only exports after a specific event that a short test run cannot provoke safely. Each is listed
     * with the reason; nothing else may be missing.
     */
    static final Map<String, String> ONLY_AFTER_EVENTS = Map.of(
            "streamfleet_gateway_events_unavailable_total", "an event answered 503 (Kafka down or the breaker open)",
            "streamfleet_gateway_publish_errors_total", "the producer reporting a failed send",
            "streamfleet_alerts_sse_disconnects_total", "the first SSE connection that ends",
            "streamfleet_alerts_webhook_attempts_total", "the first webhook delivery attempt (a subscription and an alert)",
            "resilience4j_ratelimiter_available_permissions", "a request with an API key that has a ratePerSecond "
                    + "(the limiter is created then; the local development key has no rate)",
            "resilience4j_ratelimiter_waiting_threads", "as resilience4j_ratelimiter_available_permissions",
            "streamfleet_alerts_late_key_events", "a record on a late topic that alert-api read (one series per key "
                    + "that came late; none while nothing is late)");

    /** Per dashboard: panel titles whose first query must return data from a freshly started fleet with traffic. */
    static final List<String> STREAMS_KEY_PANELS = List.of("Streams client running", "Records processed per second",
            "Consumer lag (max partition)", "RocksDB off-heap used vs bound", "Dropped records per second");

    static final Map<String, List<String>> KEY_PANELS = Map.of(
            "streamfleet-overview.json", List.of("Instances per service", "Streams clients running",
                    "HTTP requests per second", "Records processed per second", "Consumer lag (max partition)",
                    "RocksDB off-heap used", "Heap used"),
            "streamfleet-ingest-gateway.json", List.of("Requests per second by status", "Heap used",
                    "Events accepted per second by kind and channel", "Kafka circuit breaker state",
                    "Kafka connections per client"),
            "streamfleet-stream-processor.json", STREAMS_KEY_PANELS,
            "streamfleet-cep-detector.json", concat(STREAMS_KEY_PANELS, List.of("Events evaluated per second")),
            "streamfleet-session-analytics.json", STREAMS_KEY_PANELS,
            "streamfleet-alert-api.json", List.of("Heap used", "CPU usage", "SSE clients connected",
                    "Webhook endpoints by circuit state", "Kafka connections per client"));

    @TempDir
    static Path fleetDir;
    static LaunchedFleet fleet;
    static FleetLayout layout;
    static final Map<String, Set<String>> EXPOSED = new TreeMap<>();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @BeforeAll
    static void startFleetAndScrape() throws Exception {
        fleet = LaunchedFleet.up(fleetDir, false);
        layout = fleet.layout();
        sendTraffic();
        // Micrometer binds Kafka Streams task and processor-node metrics on its 60 s refresh after tasks exist
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        do {
            scrapeAll();
            if (layout.services().stream().filter(ServiceSpec::streams)
                    .allMatch(s -> EXPOSED.get(s.name()).contains("kafka_stream_task_dropped_records_total"))) {
                break;
            }
            Thread.sleep(2_000);
        } while (System.nanoTime() < deadline);
        sendTraffic();
        scrapeAll();
    }

    private static void scrapeAll() throws Exception {
        for (ServiceSpec service : layout.services()) {
            String body = get("http://localhost:" + service.port() + "/actuator/prometheus");
            Set<String> names = new TreeSet<>();
            body.lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .forEach(l -> names.add(l.split("[{ ]", 2)[0]));
            EXPOSED.put(service.name(), names);
            Path dump = Path.of("target/fleet-metrics");
            Files.createDirectories(dump);
            Files.write(dump.resolve(service.name() + ".txt"), names);
        }
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    /**
     * Each metric of a panel or rule is exposed by the application the query names ({@code application="x"} or
     * {@code application=~"a|b"}: each of them); a query that names none needs some service to expose it.
     */
    @Test
    void shouldExposeEveryMetricThatDashboardsAndRulesQueryByTheApplicationTheyQueryWhenTheFleetRuns() {
        Set<String> recorded = new TreeSet<>();
        Dashboards.rules().stream().filter(r -> r.alert().contains(":")).forEach(r -> recorded.add(r.alert()));

        List<String> missing = new ArrayList<>();
        for (Dashboards.Query query : Dashboards.queries()) {
            missing.addAll(unexposed(query.expr(), recorded).stream()
                    .map(m -> m + "  (dashboard " + query.dashboard() + ", panel '" + query.panel() + "')").toList());
        }
        for (Dashboards.Rule rule : Dashboards.rules()) {
            missing.addAll(unexposed(rule.expr(), recorded).stream()
                    .map(m -> m + "  (rule " + rule.alert() + " in " + rule.file() + ")").toList());
        }

        assertThat(Dashboards.queries()).isNotEmpty();
        assertThat(Dashboards.rules()).isNotEmpty();
        assertThat(missing).as("metrics not exposed by the application queried (see target/fleet-metrics/*.txt)")
                .isEmpty();
        KEY_PANELS.forEach((file, titles) -> assertThat(Dashboards.queries().stream()
                .filter(q -> q.dashboard().equals(file)).map(Dashboards.Query::panel)).as(file).containsAll(titles));
    }

    @Test
    void shouldExportKafkaClientMetricsFromEveryServiceWhenTheFleetRuns() {
        for (ServiceSpec service : layout.services()) {
            Set<String> names = EXPOSED.get(service.name());
            assertThat(names).as(service.name()).anyMatch(n -> n.startsWith("kafka_consumer_") || n.startsWith("kafka_producer_"));
        }
        assertThat(EXPOSED.get("alert-api")).as("alert-api's consumers, producer and admin clients")
                .anyMatch(n -> n.startsWith("kafka_consumer_")).anyMatch(n -> n.startsWith("kafka_producer_"))
                .anyMatch(n -> n.startsWith("kafka_admin_client_"));
        assertThat(EXPOSED.get("ingest-gateway")).as("the gateway's producer and the health probe's admin client")
                .anyMatch(n -> n.startsWith("kafka_producer_")).anyMatch(n -> n.startsWith("kafka_admin_client_"));
    }

    /** "name @ application" for each metric of {@code expr} that its application(s) do not expose. */
    private static List<String> unexposed(String expr, Set<String> recorded) {
        Set<String> applications = PromQl.applications(expr);
        Set<String> anywhere = new TreeSet<>();
        EXPOSED.values().forEach(anywhere::addAll);
        List<String> missing = new ArrayList<>();
        for (String name : PromQl.metricNames(expr)) {
            if (recorded.contains(name) || ONLY_AFTER_EVENTS.containsKey(name)) {
                continue;
            }
            if (applications.isEmpty() && !anywhere.contains(name)) {
                missing.add(name + " @ any service");
            }
            for (String application : applications) {
                if (!EXPOSED.getOrDefault(application, Set.of()).contains(name)) {
                    missing.add(name + " @ " + application);
                }
            }
        }
        return missing;
    }

    @Test
    void shouldReportHealthyWhenTheImageHealthCheckAsksARunningService() throws Exception {
        for (ServiceSpec service : layout.services()) {
            assertThat(runHealthCheck(service.port(), "/actuator/health/liveness")).as(service.name()).isZero();
            assertThat(runHealthCheck(service.port(), "/actuator/health/readiness")).as(service.name()).isZero();
        }
        assertThat(runHealthCheck(layout.service("alert-api").port(), "/actuator/does-not-exist")).isNotZero();
        assertThat(runHealthCheck(Ports.freePort(), "/actuator/health/liveness")).isNotZero();
    }

    @Test
    void shouldAnswerEveryDashboardKeyQueryWithDataWhenPrometheusScrapesTheFleet(@TempDir Path promDir) throws Exception {
        Path binary = Path.of("/usr/bin/prometheus");
        assumeTrue(Files.isExecutable(binary), "Debian's prometheus package is not installed");
        try (LocalPrometheus prometheus = LocalPrometheus.start(binary, promDir, layout.services(), RepoFiles.ALERT_RULES)) {
            prometheus.awaitTargetsUp(layout.services().size(), Duration.ofSeconds(60));
            sendTraffic();
            prometheus.awaitScrapes(3);

            List<String> problems = new ArrayList<>();
            for (Dashboards.Query query : Dashboards.queries()) {
                String error = prometheus.queryError(PromQl.forPrometheus(query.expr()));
                if (error != null) {
                    problems.add(query.dashboard() + " / " + query.panel() + ": " + error);
                }
            }
            assertThat(problems).as("queries Prometheus rejects").isEmpty();
            assertThat(prometheus.ruleGroupsLoaded()).as("alert rule groups loaded by the server").isPositive();

            for (Map.Entry<String, List<String>> dashboard : KEY_PANELS.entrySet()) {
                for (String title : dashboard.getValue()) {
                    Dashboards.Query query = Dashboards.queries().stream()
                            .filter(q -> q.dashboard().equals(dashboard.getKey()) && q.panel().equals(title))
                            .findFirst().orElseThrow(() -> new AssertionError("no panel '" + title + "' in " + dashboard.getKey()));
                    String expr = PromQl.forPrometheus(query.expr());
                    assertThat(prometheus.awaitData(expr, Duration.ofSeconds(30)))
                            .as("%s / %s: %s returns data", dashboard.getKey(), title, expr).isTrue();
                }
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    private static int runHealthCheck(int port, String path) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", RepoFiles.HEALTHCHECK.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        builder.environment().put("HEALTHCHECK_PATH", path);
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    /** A few seconds of orders and engagement events through the gateway with the development key (bounded). */
    static void sendTraffic() throws Exception {
        String key = fleet.devKey();
        URI events = URI.create("http://localhost:" + layout.service("ingest-gateway").port() + "/v1/events");
        long now = System.currentTimeMillis();
        for (int batch = 0; batch < 20; batch++) {
            StringBuilder json = new StringBuilder("[");
            for (int i = 0; i < 25; i++) {
                long t = now + batch * 100L + i;
                String id = "deploy-check-" + now + "-" + batch + "-" + i;
                if (json.length() > 1) {
                    json.append(',');
                }
                json.append(i % 2 == 0
                        ? "{\"kind\":\"order\",\"eventId\":\"" + id + "\",\"accountId\":\"acc-" + (i % 3)
                                + "\",\"symbol\":\"AAPL\",\"eventType\":\"" + (i % 4 == 0 ? "CANCELLED" : "CREATED")
                                + "\",\"price\":" + (100 + i) + ".25,\"qty\":10,\"eventTimeMs\":" + t + "}"
                        : "{\"kind\":\"engagement\",\"eventId\":\"" + id + "\",\"userId\":\"user-" + (i % 3)
                                + "\",\"contentId\":\"c-1\",\"eventType\":\"view_end\",\"dwellMs\":" + (1000 + i)
                                + ",\"completed\":true,\"eventTimeMs\":" + t + "}");
            }
            json.append(']');
            HttpRequest request = HttpRequest.newBuilder(events).timeout(Duration.ofSeconds(5))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.toString())).build();
            HTTP.send(request, HttpResponse.BodyHandlers.discarding());
        }
        // one event without its fields and one request without a key: the reject and refusal counters by reason
        HTTP.send(HttpRequest.newBuilder(events).timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "[{\"kind\":\"order\",\"eventId\":\"deploy-check-invalid-" + now + "\"}]")).build(),
                HttpResponse.BodyHandlers.discarding());
        HTTP.send(HttpRequest.newBuilder(events).timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[]")).build(), HttpResponse.BodyHandlers.discarding());
        URI alerts = URI.create("http://localhost:" + layout.service("alert-api").port() + "/v1/alerts");
        HTTP.send(HttpRequest.newBuilder(alerts).timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + key)
                .GET().build(), HttpResponse.BodyHandlers.discarding());
    }

    static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }
}

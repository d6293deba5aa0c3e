package io.streamfleet.drills;

import io.streamfleet.launcher.FleetLayout;
import io.streamfleet.launcher.ServiceSpec;
import io.streamfleet.launcher.process.Ports;
import io.streamfleet.testkit.process.ServiceProcess;
import io.streamfleet.testkit.process.ServiceProcesses;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The five service jars as processes against a broker the launcher did not start (a container, a SASL_SSL broker),
 * pointed at it only through the environment an operator would set, and the check such a test makes: a burst
 * episode posted to the gateway comes out as an alert on alert-api's SSE feed.
 */
public final class ServiceJarsOnBroker {

    public static final Duration READY = Duration.ofSeconds(180);

    private final FleetLayout layout;
    private final String apiKey;
    private final Map<String, String> brokerEnv;
    private final Supplier<String> brokerLog;
    private final ServiceProcesses processes;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** {@code brokerEnv}: how every service reaches the broker; {@code brokerLog}: shown when a service fails. */
    public ServiceJarsOnBroker(FleetLayout layout, String apiKey, Map<String, String> brokerEnv,
                               Supplier<String> brokerLog, ServiceProcesses processes) {
        this.layout = layout;
        this.apiKey = apiKey;
        this.brokerEnv = Map.copyOf(brokerEnv);
        this.brokerLog = brokerLog;
        this.processes = processes;
    }

    /** Starts a service's jar on a free port as {@code part} (its log's and state directory's name). */
    public ServiceProcess launch(ServiceSpec spec, String part, Map<String, String> extraEnv) {
        int port = Ports.freePort();
        Map<String, String> env = new HashMap<>(brokerEnv);
        env.putAll(extraEnv);
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("SPRING_PROFILES_ACTIVE", "local");
        if (spec.streams()) {
            env.put("STREAMFLEET_STATE_DIR", layout.stateDir(part).toString());
        }
        if (spec.usesApiKeys()) {
            env.put("STREAMFLEET_SECURITY_DEV_KEY", apiKey);
        }
        return processes.start(ServiceProcess.jar(layout.repoRoot().resolve(spec.jarPath())).name(part)
                .logDir(layout.logs()).workDir(layout.repoRoot()).httpPort(port).env(env)
                .jvmArgs("-Xms64m", "-Xmx" + (spec.streams() ? "512m" : "384m"), "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError")
                .diagnostics(() -> "broker:\n" + brokerLog.get()));
    }

    /** Every service of the layout, started at once and each awaited until ready; by service name. */
    public Map<String, ServiceProcess> launchAllReady(Map<String, String> extraEnv) {
        Map<String, ServiceProcess> started = new LinkedHashMap<>();
        for (ServiceSpec spec : layout.services()) {
            started.put(spec.name(), launch(spec, spec.name(), extraEnv));
        }
        started.values().forEach(process -> process.awaitReady(READY));
        return started;
    }

    /** Posts a burst episode for a fresh account to the gateway and asserts its alert arrives on the SSE feed. */
    public void assertEpisodeComesOutOnTheFeed(ServiceProcess gateway, ServiceProcess alertApi, String accountPrefix)
            throws Exception {
        String account = accountPrefix + "-" + System.nanoTime();
        CompletableFuture<String> alert = firstAlertFor(alertApi.port(), account);
        Thread.sleep(500); // the SSE subscription is live before the episode's alert can be published
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + gateway.port() + "/v1/orders"))
                .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        BurstEpisode.ordersJson(account, "NVDA", System.currentTimeMillis())))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isBetween(200, 299);

        assertThat(alert.get(90, TimeUnit.SECONDS)).contains(account);
    }

    /** The first SSE data line naming {@code account}; the stream is closed by the future's completion. */
    private CompletableFuture<String> firstAlertFor(int port, String account) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/alerts/stream"))
                .header("Authorization", "Bearer " + apiKey).header("Accept", "text/event-stream").GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenApply(response -> {
            try (Stream<String> lines = response.body()) {
                return lines.filter(l -> l.startsWith("data:") && l.contains(account)).findFirst()
                        .orElse("stream ended without an alert for " + account);
            }
        });
    }
}

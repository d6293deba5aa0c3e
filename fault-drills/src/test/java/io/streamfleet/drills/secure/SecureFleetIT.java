package io.streamfleet.drills.secure;

import io.streamfleet.drills.DrillFleet;
import io.streamfleet.drills.BurstEpisode;
import io.streamfleet.drills.Sleep;
import io.streamfleet.launcher.DevApiKey;
import io.streamfleet.launcher.FleetLayout;
import io.streamfleet.launcher.ServiceSpec;
import io.streamfleet.launcher.process.HealthProbe;
import io.streamfleet.launcher.process.ManagedProcess;
import io.streamfleet.launcher.process.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The five services against a SASL_SSL (SCRAM-SHA-512) broker with a generated CA, configured only through
 * {@code SPRING_KAFKA_*} environment variables, as docs/operations.md tells operators to: an episode posted through
 * the gateway comes out as an alert on the SSE feed. A gateway given a wrong password reports readiness DOWN with a
 * log line naming the refused login, within seconds. Skipped when the service jars are not built.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecureFleetIT {

    private static final Duration READY = Duration.ofSeconds(180);

    private final Path repo = Path.of(System.getProperty("drills.repo", "..")).toAbsolutePath().normalize();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<ManagedProcess> services = new ArrayList<>();
    private FleetLayout layout;
    private TestCertificates certificates;
    private SecureBroker broker;
    private String apiKey;

    @BeforeAll
    void startBroker() throws IOException {
        assumeTrue(DrillFleet.missingJars(repo).isEmpty(), "fleet jars not built: " + DrillFleet.missingJars(repo));
        Path work = Files.createTempDirectory("secure-fleet");
        layout = FleetLayout.defaults(repo).withFleetDir(work.resolve("fleet"))
                .withPorts(Ports.freePort(), Ports.freePort());
        Path certs = Files.createDirectories(work.resolve("certs"));
        certificates = TestCertificates.create(certs);
        apiKey = DevApiKey.loadOrCreate(layout.devKeyFile());
        broker = new SecureBroker(layout, certificates);
        broker.start();
    }

    @AfterAll
    void stopAll() {
        services.forEach(ManagedProcess::requestStop);
        services.forEach(s -> s.stop(Duration.ofSeconds(40)));
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Order(1)
    void shouldFailGatewayReadinessWithAClearLogLineWhenThePasswordIsWrong() throws Exception {
        ServiceSpec gateway = layout.service("ingest-gateway").withPort(Ports.freePort());
        ManagedProcess process = launch(gateway, "wrong-gateway", "not-the-password");
        long started = System.nanoTime();
        awaitReadiness(process, gateway.port(), "DOWN", READY);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(READY);
        awaitLog(process, "Kafka refused this client's authentication", Duration.ofSeconds(30));
        assertThat(Files.readString(process.logFile())).contains("SaslAuthenticationException");
        process.stop(Duration.ofSeconds(40));
        services.remove(process);
    }

    @Test
    @Order(2)
    void shouldCarryAnEpisodeFromTheGatewayToAnSseAlertOverSaslSsl() throws Exception {
        List<ServiceSpec> specs = layout.services();
        Map<ServiceSpec, ManagedProcess> started = new HashMap<>();
        for (ServiceSpec spec : specs) {
            ServiceSpec onFreePort = spec.withPort(Ports.freePort());
            started.put(onFreePort, launch(onFreePort, spec.name(), SecureBroker.PASSWORD));
        }
        started.forEach((spec, process) -> awaitReadiness(process, spec.port(), "UP", READY));
        int gatewayPort = portOf(started, "ingest-gateway");
        int alertPort = portOf(started, "alert-api");

        String account = "acc-secure-" + System.nanoTime();
        CompletableFuture<String> alert = firstAlertFor(alertPort, account);
        Thread.sleep(500); // the SSE subscription is live before the episode's alert can be published
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + gatewayPort + "/v1/orders"))
                .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        BurstEpisode.ordersJson(account, "NVDA", System.currentTimeMillis())))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isBetween(200, 299);

        String line = alert.get(90, TimeUnit.SECONDS);
        assertThat(line).contains(account);
        for (ManagedProcess process : started.values()) {
            assertThat(Files.readString(process.logFile())).as(process.name() + " connected with SASL_SSL")
                    .contains("security.protocol = SASL_SSL").doesNotContain("security.protocol = PLAINTEXT");
        }
    }

    private ManagedProcess launch(ServiceSpec spec, String part, String password) {
        ManagedProcess process = new ManagedProcess(part, layout.logs(), layout.pids());
        Map<String, String> env = new HashMap<>();
        env.put("SERVER_PORT", Integer.toString(spec.port()));
        env.put("SPRING_PROFILES_ACTIVE", "local");
        env.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", layout.bootstrapServers());
        env.put("SPRING_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
        env.put("SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", SecureBroker.MECHANISM);
        env.put("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", SecureBroker.jaas(SecureBroker.USER, password));
        env.put("SPRING_KAFKA_SSL_TRUST_STORE_LOCATION", "file:" + certificates.trustStore());
        env.put("SPRING_KAFKA_SSL_TRUST_STORE_PASSWORD", certificates.password());
        env.put("SPRING_KAFKA_SSL_TRUST_STORE_TYPE", "PKCS12");
        if (spec.streams()) {
            env.put("STREAMFLEET_STATE_DIR", layout.stateDir(part).toString());
        }
        if (spec.usesApiKeys()) {
            env.put("STREAMFLEET_SECURITY_DEV_KEY", apiKey);
        }
        List<String> jvm = List.of("-Xms64m", "-Xmx" + (spec.streams() ? "512m" : "384m"), "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError");
        process.start(jvm, List.of("-jar", repo.resolve(spec.jarPath()).toString()), env, repo);
        services.add(process);
        return process;
    }

    private static int portOf(Map<ServiceSpec, ManagedProcess> started, String name) {
        return started.keySet().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().port();
    }

    private void awaitReadiness(ManagedProcess process, int port, String expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            if (process.running().isEmpty()) {
                throw new AssertionError(process.name() + " exited:\n" + process.logTail(60));
            }
            last = HealthProbe.readiness(port);
            if (expected.equals(last)) {
                return;
            }
            Sleep.ms(500);
        }
        throw new AssertionError(process.name() + " readiness " + last + ", not " + expected + " within "
                + timeout.toSeconds() + " s:\n" + process.logTail(60) + "\nbroker:\n" + broker.logTail(20));
    }

    private static void awaitLog(ManagedProcess process, String text, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.readString(process.logFile()).contains(text)) {
                return;
            }
            Sleep.ms(500);
        }
        throw new AssertionError(process.name() + " never logged '" + text + "':\n" + process.logTail(60));
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

package io.streamfleet.drills.containers;

import io.streamfleet.drills.BurstEpisode;
import io.streamfleet.drills.DrillFleet;
import io.streamfleet.drills.Sleep;
import io.streamfleet.launcher.DevApiKey;
import io.streamfleet.launcher.FleetLayout;
import io.streamfleet.launcher.ServiceSpec;
import io.streamfleet.launcher.broker.TopicSetup;
import io.streamfleet.launcher.process.HealthProbe;
import io.streamfleet.launcher.process.ManagedProcess;
import io.streamfleet.launcher.process.Ports;
import org.apache.kafka.common.utils.internals.AppInfoParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

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
 * The fleet end to end against a broker that is not the in-JVM one: Apache Kafka's own image (the version of the
 * Kafka clients in use) started by Testcontainers, the topics created as the launcher creates them, the five service
 * jars as processes pointed at it only through {@code SPRING_KAFKA_BOOTSTRAP_SERVERS}. An episode posted through the
 * gateway comes out as an alert on the SSE feed. Skipped without a Docker engine or without built jars.
 */
@RequiresDocker
@Testcontainers(disabledWithoutDocker = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaContainerFleetIT {

    private static final Duration READY = Duration.ofSeconds(180);

    private final Path repo = Path.of(System.getProperty("drills.repo", "..")).toAbsolutePath().normalize();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<ManagedProcess> services = new ArrayList<>();
    private KafkaContainer kafka;
    private FleetLayout layout;
    private String apiKey;

    /** apache/kafka at the version of the Kafka clients on the classpath, so the image follows a Kafka upgrade. */
    static String kafkaImage() {
        return "apache/kafka:" + AppInfoParser.getVersion();
    }

    @BeforeAll
    void startBroker() throws IOException {
        assumeTrue(DrillFleet.missingJars(repo).isEmpty(), "fleet jars not built: " + DrillFleet.missingJars(repo));
        kafka = new KafkaContainer(kafkaImage())
                // one node: what exactly-once and the share coordinator need to start
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
        kafka.start();
        TopicSetup.ensureTopics(kafka.getBootstrapServers());
        Path work = Files.createTempDirectory("container-fleet");
        layout = FleetLayout.defaults(repo).withFleetDir(work.resolve("fleet"));
        apiKey = DevApiKey.loadOrCreate(layout.devKeyFile());
    }

    @AfterAll
    void stopAll() {
        services.forEach(ManagedProcess::requestStop);
        services.forEach(s -> s.stop(Duration.ofSeconds(40)));
        if (kafka != null) {
            kafka.stop();
        }
    }

    @Test
    void shouldCarryAnEpisodeFromTheGatewayToAnSseAlertWhenTheBrokerIsTheApacheKafkaImage() throws Exception {
        Map<String, Integer> ports = new HashMap<>();
        Map<String, ManagedProcess> started = new HashMap<>();
        for (ServiceSpec spec : layout.services()) {
            ServiceSpec onFreePort = spec.withPort(Ports.freePort());
            ports.put(spec.name(), onFreePort.port());
            started.put(spec.name(), launch(onFreePort));
        }
        started.forEach((name, process) -> awaitReady(process, ports.get(name)));

        String account = "acc-container-" + System.nanoTime();
        CompletableFuture<String> alert = firstAlertFor(ports.get("alert-api"), account);
        Thread.sleep(500); // the SSE subscription is live before the episode's alert can be published
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + ports.get("ingest-gateway") + "/v1/orders"))
                .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        BurstEpisode.ordersJson(account, "NVDA", System.currentTimeMillis())))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isBetween(200, 299);

        assertThat(alert.get(90, TimeUnit.SECONDS)).contains(account);
    }

    private ManagedProcess launch(ServiceSpec spec) {
        ManagedProcess process = new ManagedProcess(spec.name(), layout.logs(), layout.pids());
        Map<String, String> env = new HashMap<>();
        env.put("SERVER_PORT", Integer.toString(spec.port()));
        env.put("SPRING_PROFILES_ACTIVE", "local");
        env.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", kafka.getBootstrapServers());
        if (spec.streams()) {
            env.put("STREAMFLEET_STATE_DIR", layout.stateDir(spec.name()).toString());
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

    private void awaitReady(ManagedProcess process, int port) {
        long deadline = System.nanoTime() + READY.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            if (process.running().isEmpty()) {
                throw new AssertionError(process.name() + " exited:\n" + process.logTail(60));
            }
            last = HealthProbe.readiness(port);
            if ("UP".equals(last)) {
                return;
            }
            Sleep.ms(500);
        }
        throw new AssertionError(process.name() + " readiness " + last + " after " + READY.toSeconds() + " s:\n"
                + process.logTail(60) + "\nbroker:\n" + kafka.getLogs());
    }

    /** The first SSE data line naming {@code account}. */
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

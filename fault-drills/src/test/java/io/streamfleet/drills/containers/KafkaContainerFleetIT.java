package io.streamfleet.drills.containers;

import io.streamfleet.drills.DrillFleet;
import io.streamfleet.drills.ServiceJarsOnBroker;
import io.streamfleet.launcher.DevApiKey;
import io.streamfleet.launcher.FleetLayout;
import io.streamfleet.launcher.broker.TopicSetup;
import io.streamfleet.testkit.process.ServiceProcess;
import io.streamfleet.testkit.process.ServiceProcesses;
import org.apache.kafka.common.utils.internals.AppInfoParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

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

    private final Path repo = Path.of(System.getProperty("drills.repo", "..")).toAbsolutePath().normalize();

    @RegisterExtension
    final ServiceProcesses processes = new ServiceProcesses();

    private KafkaContainer kafka;
    private ServiceJarsOnBroker services;

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
        FleetLayout layout = FleetLayout.defaults(repo).withFleetDir(work.resolve("fleet"));
        services = new ServiceJarsOnBroker(layout, DevApiKey.loadOrCreate(layout.devKeyFile()),
                Map.of("SPRING_KAFKA_BOOTSTRAP_SERVERS", kafka.getBootstrapServers()), kafka::getLogs, processes);
    }

    @AfterAll
    void stopBroker() {
        if (kafka != null) {
            kafka.stop();
        }
    }

    @Test
    void shouldCarryAnEpisodeFromTheGatewayToAnSseAlertWhenTheBrokerIsTheApacheKafkaImage() throws Exception {
        Map<String, ServiceProcess> started = services.launchAllReady(Map.of());

        services.assertEpisodeComesOutOnTheFeed(started.get("ingest-gateway"), started.get("alert-api"),
                "acc-container");
    }
}

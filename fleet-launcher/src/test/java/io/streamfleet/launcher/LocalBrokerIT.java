package io.streamfleet.launcher;

import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.launcher.broker.LocalBroker;
import io.streamfleet.launcher.broker.TopicSetup;
import io.streamfleet.launcher.process.Ports;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The launcher's broker is a real KRaft broker process whose topics and data survive a restart. */
class LocalBrokerIT {

    @TempDir
    Path fleetDir;

    private LocalBroker broker;

    @AfterEach
    void stopBroker() {
        if (broker != null) {
            broker.process().stop(Duration.ofSeconds(30));
        }
    }

    @Test
    void shouldKeepTopicsAndRecordsWhenTheBrokerRestarts() throws Exception {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        assumeTrue(Files.exists(repo.resolve("fleet-launcher/target/fleet-launcher.jar")), "launcher jar not packaged");
        FleetLayout layout = FleetLayout.defaults(repo).withFleetDir(fleetDir).withPorts(Ports.freePort(), Ports.freePort());
        broker = new LocalBroker(layout);

        broker.prepare();
        assertThat(broker.isFormatted()).isTrue();
        broker.awaitReady(broker.start(), Duration.ofSeconds(90));
        assertThat(TopicSetup.ensureTopics(layout.bootstrapServers())).containsAll(Topics.dataFlowTopicNames());
        Map<String, Object> producerConfig = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, layout.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.ORDERS_RAW.name(), 0, "k", "v")).get();
        }

        assertThat(broker.process().stop(Duration.ofSeconds(30))).isTrue();
        broker.prepare();
        broker.awaitReady(broker.start(), Duration.ofSeconds(90));

        assertThat(TopicSetup.ensureTopics(layout.bootstrapServers())).isEmpty();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, layout.bootstrapServers()))) {
            TopicPartition partition = new TopicPartition(Topics.ORDERS_RAW.name(), 0);
            long end = admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition).get().offset();
            assertThat(end).isEqualTo(1);
        }
    }
}

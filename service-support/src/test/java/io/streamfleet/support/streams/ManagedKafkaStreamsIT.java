package io.streamfleet.support.streams;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import io.streamfleet.testkit.kafka.WithKafkaBroker;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Status;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@WithKafkaBroker
class ManagedKafkaStreamsIT {

    @TempDir
    Path stateDir;

    @Test
    void shouldBeReadyOnlyWhileRunningAndNotLiveOnceAThreadDied() throws Exception {
        String input = "support-it-" + UUID.randomUUID();
        SharedKafkaBroker.createTopics(List.of(new NewTopic(input, 1, (short) 1)));
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String())).foreach((k, v) -> {
            if ("poison".equals(v)) {
                throw new IllegalStateException("poison record");
            }
        });
        Topology topology = builder.build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ManagedKafkaStreams streams = new ManagedKafkaStreams(topology, TestStreamsSettings.of("support-it-" + UUID.randomUUID(), stateDir),
                registry);
        KafkaStreamsReadiness readiness = new KafkaStreamsReadiness(streams);
        KafkaStreamsLiveness liveness = new KafkaStreamsLiveness(streams);
        assertThat(readiness.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);

        streams.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> readiness.health().getStatus().equals(Status.UP));
            assertThat(liveness.health().getStatus()).isEqualTo(Status.UP);
            assertThat(registry.get("streamfleet.streams.running").gauge().value()).isEqualTo(1.0);

            try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(input, "k", "poison")).get();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> liveness.health().getStatus().equals(Status.DOWN));
            assertThat(readiness.health().getStatus()).isEqualTo(Status.DOWN);
            assertThat(registry.get("streamfleet.streams.thread.deaths").counter().count()).isEqualTo(1.0);
        } finally {
            streams.stop();
        }
    }
}

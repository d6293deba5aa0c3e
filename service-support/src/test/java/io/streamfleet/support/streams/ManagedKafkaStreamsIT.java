package io.streamfleet.support.streams;

import io.streamfleet.support.kafka.KafkaClients;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import io.streamfleet.testkit.kafka.WithKafkaBroker;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import io.streamfleet.support.streams.StreamsRuntimeProperties.ThreadReplacement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Status;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@WithKafkaBroker
class ManagedKafkaStreamsIT {

    private static final KafkaClients CLIENTS = KafkaClients.forBootstrapServers(SharedKafkaBroker.bootstrapServers());

    @TempDir
    Path stateDir;

    @Test
    void aRecordThatKillsEveryThreadUsesUpTheReplacementBudgetThenTheClientIsNoLongerLive() throws Exception {
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
        ManagedKafkaStreams streams = new ManagedKafkaStreams(topology, staticMember("support-it-" + UUID.randomUUID())
                .withThreadReplacement(new ThreadReplacement(2, Duration.ofMinutes(10))), CLIENTS, registry);
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
            // the budget replaces 2 threads (each dies on the same record again), the 3rd death is final
            // the dying threads' exceptions are expected: Awaitility must not fail on them
            await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(90))
                    .until(() -> liveness.health().getStatus().equals(Status.DOWN));
            assertThat(readiness.health().getStatus()).isEqualTo(Status.DOWN);
            assertThat(registry.get("streamfleet.streams.thread.replacements").counter().count()).isEqualTo(2.0);
            assertThat(registry.get("streamfleet.streams.thread.deaths").counter().count()).isEqualTo(3.0);
            assertThat(streams.fatalError()).hasStackTraceContaining("poison record");
        } finally {
            streams.stop();
        }
    }

    @Test
    void aThreadThatDiesOnceIsReplacedWithoutWaitingForItsSessionAndTheStateStaysExactUnderExactlyOnce()
            throws Exception {
        String input = "support-replace-in-" + UUID.randomUUID();
        String output = "support-replace-out-" + UUID.randomUUID();
        SharedKafkaBroker.createTopics(List.of(new NewTopic(input, 1, (short) 1), new NewTopic(output, 1, (short) 1)));
        AtomicBoolean failedOnce = new AtomicBoolean();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .peek((k, v) -> {
                    // dies after the counts of earlier records were written to the open transaction's changelog
                    if ("flaky".equals(v) && failedOnce.compareAndSet(false, true)) {
                        throw new IllegalStateException("transient failure");
                    }
                })
                .groupByKey().count()
                .toStream().to(output, Produced.with(Serdes.String(), Serdes.Long()));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ManagedKafkaStreams streams = new ManagedKafkaStreams(builder.build(),
                staticMember("support-replace-" + UUID.randomUUID()), CLIENTS, registry);
        KafkaStreamsReadiness readiness = new KafkaStreamsReadiness(streams);
        KafkaStreamsLiveness liveness = new KafkaStreamsLiveness(streams);
        streams.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> readiness.health().getStatus().equals(Status.UP));
            try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                for (String value : List.of("ok", "ok", "flaky", "ok", "ok")) {
                    producer.send(new ProducerRecord<>(input, "k", value)).get();
                }
            }

            Map<String, Long> latest = new HashMap<>();
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "replace-check-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                    new StringDeserializer(), new LongDeserializer())) {
                consumer.subscribe(List.of(output));
                // well inside the 120 s session: only the removal of the dead member lets the new thread in this soon
                await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(90)).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> latest.put(r.key(), r.value()));
                    return Long.valueOf(5).equals(latest.get("k"));
                });
            }
            assertThat(failedOnce).isTrue();
            assertThat(registry.get("streamfleet.streams.thread.replacements").counter().count()).isEqualTo(1.0);
            assertThat(streams.fatalError()).isNull();
            await().atMost(Duration.ofSeconds(30)).until(() -> readiness.health().getStatus().equals(Status.UP));
            assertThat(liveness.health().getStatus()).isEqualTo(Status.UP);
        } finally {
            streams.stop();
        }
    }

    /**
     * A static member whose session (120 s) outlasts every wait in these tests: a replacement thread that got its
     * tasks in time did so because the dead thread's member was removed, not because its session ran out.
     */
    private StreamsRuntimeProperties staticMember(String applicationId) {
        return TestStreamsSettings.of(applicationId, stateDir).withInstanceId("it-" + UUID.randomUUID())
                .withOverrides(Map.of("session.timeout.ms", "120000"));
    }
}

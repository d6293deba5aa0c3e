package io.streamfleet.support.streams;

import io.streamfleet.support.kafka.KafkaClients;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import io.streamfleet.testkit.kafka.WithKafkaBroker;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Under exactly-once, local state of a run that did not close cleanly is wiped at the next start and restored from
 * the changelog (the checkpoint such a run leaves behind cannot be trusted, KAFKA-20685); the state of a run that
 * closed cleanly is kept. Real broker, real RocksDB store.
 */
@WithKafkaBroker
class UncleanShutdownWipeIT {

    private static final String STORE = "counts";

    @TempDir
    Path stateDir;

    private final String input = "wipe-it-" + UUID.randomUUID();
    private final String applicationId = "wipe-it-" + UUID.randomUUID();

    @Test
    void shouldKeepStateAfterACleanCloseAndWipeAndRestoreItAfterAnUncleanOne() throws Exception {
        SharedKafkaBroker.createTopics(List.of(new NewTopic(input, 1, (short) 1)));
        produce(5);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        ManagedKafkaStreams first = start(registry);
        awaitCount(first, 5);
        first.stop();
        Path taskDir = stateDir.resolve(applicationId).resolve("0_0");
        assertThat(taskDir).isDirectory();
        Path sentinel = Files.writeString(taskDir.resolve("sentinel"), "kept unless the state is wiped");

        ManagedKafkaStreams second = start(registry);
        awaitCount(second, 5);
        assertThat(sentinel).as("clean close: local state kept").exists();
        assertThat(registry.get("streamfleet.streams.state.wipes").counter().count()).isZero();
        // an unclean end: the client goes away without the managed close that records a clean shutdown
        second.client().close(Duration.ofSeconds(10));

        produce(3);
        ManagedKafkaStreams third = start(registry);
        try {
            awaitCount(third, 8);
            assertThat(sentinel).as("unclean end: local state wiped before the start").doesNotExist();
            assertThat(registry.get("streamfleet.streams.state.wipes").counter().count()).isEqualTo(1.0);
        } finally {
            third.stop();
        }
    }

    private ManagedKafkaStreams start(SimpleMeterRegistry registry) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
                .count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as(STORE)
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()));
        StreamsRuntimeProperties base = TestStreamsSettings.of(applicationId, stateDir);
        // a restarted member otherwise waits out the previous one's 45 s session (Streams does not leave on close)
        StreamsRuntimeProperties settings = new StreamsRuntimeProperties(base.applicationId(), base.bootstrapServers(),
                base.stateDir(), base.threads(), base.commitInterval(), base.replicationFactor(),
                base.rocksdbOffHeapBytes(), base.rocksdbMemtableBytes(), base.metricsRecordingLevel(),
                base.applicationServer(), base.closeTimeout(), Map.of("consumer.session.timeout.ms", "6000",
                "consumer.heartbeat.interval.ms", "1000"));
        ManagedKafkaStreams streams = new ManagedKafkaStreams(builder.build(), settings,
                KafkaClients.forBootstrapServers(settings.bootstrapServers()), registry);
        streams.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        return streams;
    }

    private static void awaitCount(ManagedKafkaStreams streams, long expected) {
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            ReadOnlyKeyValueStore<String, Long> store = streams.client().store(
                    StoreQueryParameters.fromNameAndType(STORE, QueryableStoreTypes.keyValueStore()));
            assertThat(store.get("k")).isEqualTo(expected);
        });
    }

    private void produce(int records) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(input, "k", "v" + i)).get();
            }
        }
    }
}

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
import org.apache.kafka.common.utils.Bytes;
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
 * The start-up wipe after an unclean end (exactly-once), against a real broker and real RocksDB stores: state of a
 * run that closed cleanly is always kept; after an unclean end the whole local state is wiped and restored from the
 * changelog when {@code wipe-after-unclean-shutdown} is on, or when a per-task checkpoint of a Kafka Streams release
 * before 4.3 is there (its checkpoint cannot be trusted after a crash, KAFKA-20685); with the setting off, Kafka
 * Streams 4.3 judges each store itself and keeps the ones it closed. The "unclean end" here is a close of the client
 * that bypasses the managed close (no clean-shutdown record); {@link ExactlyOnceAfterSigkillIT} has the real crash.
 */
@WithKafkaBroker
class UncleanShutdownWipeIT {

    private static final String STORE = "counts";

    @TempDir
    Path stateDir;

    private final String input = "wipe-it-" + UUID.randomUUID();
    private final String applicationId = "wipe-it-" + UUID.randomUUID();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void shouldKeepStateAfterACleanCloseAndWipeAndRestoreItAfterAnUncleanOneWhenTheWipeIsOn() throws Exception {
        Path sentinel = runCleanlyThenEndUncleanly(true);

        ManagedKafkaStreams third = start(true);
        try {
            awaitCount(third, 8);
            assertThat(sentinel).as("unclean end: local state wiped before the start").doesNotExist();
            assertThat(wipes()).isEqualTo(1.0);
        } finally {
            third.stop();
        }
    }

    @Test
    void shouldLeaveTheJudgementToKafkaStreamsAfterAnUncleanEndWhenTheWipeIsOff() throws Exception {
        Path sentinel = runCleanlyThenEndUncleanly(false);

        ManagedKafkaStreams third = start(false);
        try {
            awaitCount(third, 8);
            assertThat(sentinel).as("Kafka Streams closed its stores, so it keeps them").exists();
            assertThat(wipes()).isZero();
        } finally {
            third.stop();
        }
    }

    @Test
    void shouldWipeStateWithACheckpointOfAnOlderKafkaStreamsAfterAnUncleanEndEvenWhenTheWipeIsOff() throws Exception {
        Path sentinel = runCleanlyThenEndUncleanly(false);
        // what Kafka Streams before 4.3 leaves in a task directory; 4.3 would migrate it into the stores and trust it
        Files.writeString(sentinel.resolveSibling(CleanShutdownMarker.LEGACY_CHECKPOINT), "0\n0\n");

        ManagedKafkaStreams third = start(false);
        try {
            awaitCount(third, 8);
            assertThat(sentinel).as("state of an older release after an unclean end: wiped").doesNotExist();
            assertThat(wipes()).isEqualTo(1.0);
        } finally {
            third.stop();
        }
    }

    /** Counts 5 records, closes cleanly, counts them again on kept state, ends uncleanly; 3 more records follow. */
    private Path runCleanlyThenEndUncleanly(boolean wipe) throws Exception {
        SharedKafkaBroker.createTopics(List.of(new NewTopic(input, 1, (short) 1)));
        produce(5);
        ManagedKafkaStreams first = start(wipe);
        awaitCount(first, 5);
        first.stop();
        Path taskDir = stateDir.resolve(applicationId).resolve("0_0");
        assertThat(taskDir).isDirectory();
        Path sentinel = Files.writeString(taskDir.resolve("sentinel"), "kept unless the state is wiped");

        ManagedKafkaStreams second = start(wipe);
        awaitCount(second, 5);
        assertThat(sentinel).as("clean close: local state kept").exists();
        assertThat(wipes()).isZero();
        // an unclean end: the client goes away without the managed close that records a clean shutdown
        second.client().close(Duration.ofSeconds(10));
        produce(3);
        return sentinel;
    }

    private double wipes() {
        return registry.get("streamfleet.streams.state.wipes").tag("reason", "unclean-shutdown").counter().count();
    }

    private ManagedKafkaStreams start(boolean wipe) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
                .count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as(STORE)
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()));
        return StartedStreams.running(builder.build(),
                TestStreamsSettings.restartable(applicationId, stateDir).withWipeAfterUncleanShutdown(wipe), registry);
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

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
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A window store segment that RocksDB cannot open, against a real broker and real RocksDB: what a process killed
 * while it deleted an expired segment leaves behind (the segment's {@code CURRENT} names a {@code MANIFEST} that is
 * gone). Kafka Streams fails its start on such a store, and every start after it; the managed client wipes the local
 * state once, starts again, and restores the counts from the changelog.
 */
@WithKafkaBroker
class UnreadableStoreWipeIT {

    private static final String STORE = "windowed-counts";
    private static final Instant WINDOW = Instant.parse("2026-12-06T12:00:00Z");

    @TempDir
    Path stateDir;

    private final String input = "unreadable-it-" + UUID.randomUUID();
    private final String applicationId = "unreadable-it-" + UUID.randomUUID();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void shouldWipeLocalStateWhoseSegmentCannotBeOpenedAndRestoreItFromTheChangelogInsteadOfFailingEveryStart()
            throws Exception {
        SharedKafkaBroker.createTopics(List.of(new NewTopic(input, 1, (short) 1)));
        produce(5);
        ManagedKafkaStreams first = start();
        awaitCount(first, 5);
        first.stop();
        List<Path> manifests = manifestsUnder(stateDir.resolve(applicationId).resolve("0_0").resolve(STORE));
        assertThat(manifests).as("the window store's segment databases").isNotEmpty();
        for (Path manifest : manifests) {
            Files.delete(manifest);
        }
        produce(3);

        ManagedKafkaStreams second = start();
        try {
            awaitCount(second, 8);
            assertThat(wipes("unreadable-store")).isEqualTo(1.0);
            assertThat(wipes("unclean-shutdown")).as("the first run closed cleanly").isZero();
        } finally {
            second.stop();
        }
    }

    private static List<Path> manifestsUnder(Path storeDir) throws IOException {
        try (Stream<Path> files = Files.walk(storeDir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("MANIFEST-")).toList();
        }
    }

    private double wipes(String reason) {
        return registry.get("streamfleet.streams.state.wipes").tag("reason", reason).counter().count();
    }

    private ManagedKafkaStreams start() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
                .windowedBy(TimeWindows.ofSizeWithNoGrace(Duration.ofMinutes(1)))
                .count(Materialized.<String, Long, WindowStore<Bytes, byte[]>>as(STORE)
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()));
        return StartedStreams.running(builder.build(), TestStreamsSettings.restartable(applicationId, stateDir),
                registry);
    }

    private static void awaitCount(ManagedKafkaStreams streams, long expected) {
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            ReadOnlyWindowStore<String, Long> store = streams.client().store(
                    StoreQueryParameters.fromNameAndType(STORE, QueryableStoreTypes.windowStore()));
            try (WindowStoreIterator<Long> counts = store.fetch("k", WINDOW, WINDOW)) {
                assertThat(counts.hasNext()).isTrue();
                assertThat(counts.next().value).isEqualTo(expected);
            }
        });
    }

    private void produce(int records) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(input, 0, WINDOW.toEpochMilli() + i, "k", "v" + i)).get();
            }
        }
    }
}

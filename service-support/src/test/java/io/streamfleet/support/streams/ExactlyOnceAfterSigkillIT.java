package io.streamfleet.support.streams;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.support.kafka.KafkaClients;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import io.streamfleet.testkit.kafka.WithKafkaBroker;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * KI-3 as it happened: a deduplicating exactly-once app is SIGKILLed while a transaction is open, and is restarted on
 * the same state directory. Every record must come out exactly once in read_committed output: the aborted record is
 * neither lost as a "duplicate" of its own aborted write nor doubled, and the store holds none of the aborted writes.
 * <p>
 * Since Kafka Streams 4.4 the stores are transactional ({@code enable.transactional.statestores}): the open
 * transaction's writes sit in a buffer that the crash discards, so the restart keeps the committed state (the default,
 * checked here) instead of wiping it; it restores only what RocksDB had not flushed yet (no write-ahead log), which
 * {@code RestoreAfterCrashBenchIT} measures against the state size. The start-up wipe, still available as a
 * setting, must give the same output. The crashing app runs in a child JVM ({@link CrashableStreamsApp}).
 */
@WithKafkaBroker
class ExactlyOnceAfterSigkillIT {

    private static final Map<String, String> SHORT_SESSION = Map.of("session.timeout.ms", "6000",
            "heartbeat.interval.ms", "1000");

    @TempDir
    Path dir;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String input = "sigkill-in-" + run;
    private final String output = "sigkill-out-" + run;
    private final String applicationId = "sigkill-it-" + run;
    private final List<Process> children = new ArrayList<>();
    private final List<ManagedKafkaStreams> clients = new ArrayList<>();

    @AfterEach
    void stopEverything() {
        children.forEach(Process::destroyForcibly);
        clients.forEach(ManagedKafkaStreams::stop);
    }

    @Test
    void shouldKeepEveryRecordExactlyOnceWithoutAWipeWhenRestartedOnTheStateOfASigkilledRun() throws Exception {
        restartAfterSigkill(false);
    }

    @Test
    void shouldKeepEveryRecordExactlyOnceWhenTheStartUpWipeRestoresTheStateOfASigkilledRun() throws Exception {
        restartAfterSigkill(true);
    }

    private void restartAfterSigkill(boolean wipe) throws Exception {
        SharedKafkaBroker.createTopics(List.of(new NewTopic(input, 1, (short) 1), new NewTopic(output, 1, (short) 1)));
        Path state = dir.resolve("state");
        Process crashing = CrashableStreamsApp.launch(Path.of("target", "sigkill-it-" + run + ".log"),
                SharedKafkaBroker.bootstrapServers(), applicationId, state, null, input, output, "stall",
                SHORT_SESSION);
        children.add(crashing);
        try (TopicValues committed = new TopicValues(output, IsolationLevel.READ_COMMITTED);
             TopicValues uncommitted = new TopicValues(output, IsolationLevel.READ_UNCOMMITTED)) {
            send("before-crash");
            committed.await(v -> v.contains("before-crash"), Duration.ofSeconds(90));
            send("stall");
            uncommitted.await(v -> v.contains("stall"), Duration.ofSeconds(30));
            assertThat(committed.values()).as("the stalled record's transaction is still open").doesNotContain("stall");

            crashing.destroyForcibly().waitFor();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            ManagedKafkaStreams restarted = start(state, wipe, registry);
            send("after-crash");
            committed.await(v -> v.contains("after-crash") && v.contains("stall"), Duration.ofSeconds(60));
            send("before-crash");
            send("stall");
            send("last");
            committed.await(v -> v.contains("last"), Duration.ofSeconds(30));

            assertThat(committed.values()).as("each record once: the aborted one neither lost nor doubled, the re-sent "
                    + "ones dropped").containsExactly("before-crash", "stall", "after-crash", "last");
            assertThat(registry.get("streamfleet.streams.state.wipes").counter().count())
                    .as("our start-up wipe ran only if on").isEqualTo(wipe ? 1.0 : 0.0);
            if (wipe) {
                assertThat(registry.get("streamfleet.streams.restore.records").functionCounter().count())
                        .as("the wiped store came back from the changelog").isPositive();
            }
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> assertThat(keysIn(restarted))
                    .as("no write of the aborted transaction in the restored store")
                    .containsExactlyInAnyOrder("before-crash", "stall", "after-crash", "last"));
        }
    }

    private ManagedKafkaStreams start(Path state, boolean wipe, SimpleMeterRegistry registry) {
        StreamsRuntimeProperties settings = CrashableStreamsApp.settings(SharedKafkaBroker.bootstrapServers(),
                applicationId, state, null, SHORT_SESSION).withWipeAfterUncleanShutdown(wipe);
        ManagedKafkaStreams streams = new ManagedKafkaStreams(CrashableStreamsApp.topology(input, output, null),
                settings, KafkaClients.forBootstrapServers(settings.bootstrapServers()), registry);
        clients.add(streams);
        streams.start();
        return streams;
    }

    private void send(String value) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(input, "k", value)).get();
        }
    }

    private static List<String> keysIn(ManagedKafkaStreams streams) {
        ReadOnlyWindowStore<String, String> store = streams.client().store(StoreQueryParameters.fromNameAndType(
                CrashableStreamsApp.STORE, QueryableStoreTypes.windowStore()));
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<Windowed<String>, String> all = store.fetchAll(Instant.EPOCH,
                Instant.now().plus(Duration.ofDays(1)))) {
            while (all.hasNext()) {
                KeyValue<Windowed<String>, String> next = all.next();
                keys.add(next.key.key());
            }
        }
        return keys;
    }
}

package io.streamfleet.support.streams;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.testkit.kafka.WithKafkaBroker;
import io.streamfleet.testkit.process.ServiceProcess;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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

    @TempDir
    Path dir;

    @RegisterExtension
    final CrashableAppRun app = new CrashableAppRun("sigkill");

    @Test
    void shouldKeepEveryRecordExactlyOnceWithoutAWipeWhenRestartedOnTheStateOfASigkilledRun() throws Exception {
        restartAfterSigkill(false);
    }

    @Test
    void shouldKeepEveryRecordExactlyOnceWhenTheStartUpWipeRestoresTheStateOfASigkilledRun() throws Exception {
        restartAfterSigkill(true);
    }

    private void restartAfterSigkill(boolean wipe) throws Exception {
        app.createTopics(1);
        Path state = dir.resolve("state");
        ServiceProcess crashing = app.launch(state, null, "stall", CrashableAppRun.SHORT_SESSION);
        try (TopicValues committed = new TopicValues(app.output, IsolationLevel.READ_COMMITTED);
             TopicValues uncommitted = new TopicValues(app.output, IsolationLevel.READ_UNCOMMITTED)) {
            app.send("k", "before-crash");
            committed.await(v -> v.contains("before-crash"), Duration.ofSeconds(90));
            app.send("k", "stall");
            uncommitted.await(v -> v.contains("stall"), Duration.ofSeconds(30));
            assertThat(committed.values()).as("the stalled record's transaction is still open").doesNotContain("stall");

            crashing.kill();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            ManagedKafkaStreams restarted = app.startInJvm(app.settings(state, null, CrashableAppRun.SHORT_SESSION)
                    .withWipeAfterUncleanShutdown(wipe), registry);
            app.send("k", "after-crash");
            committed.await(v -> v.contains("after-crash") && v.contains("stall"), Duration.ofSeconds(60));
            app.send("k", "before-crash");
            app.send("k", "stall");
            app.send("k", "last");
            committed.await(v -> v.contains("last"), Duration.ofSeconds(30));

            assertThat(committed.values()).as("each record once: the aborted one neither lost nor doubled, the re-sent "
                    + "ones dropped").containsExactly("before-crash", "stall", "after-crash", "last");
            assertThat(registry.get("streamfleet.streams.state.wipes").tag("reason", "unclean-shutdown")
                    .counter().count())
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

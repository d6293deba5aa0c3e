package io.streamfleet.support.streams;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import io.streamfleet.testkit.kafka.WithKafkaBroker;
import io.streamfleet.testkit.process.ServiceProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Benchmark (opt-in, {@code -Drestore.bench.records=N}): what a restart after a SIGKILL costs with and without our
 * start-up wipe, on a deduplication store of N entries ({@link CrashableStreamsApp}, exactly-once, one partition,
 * static membership so no session timeout is waited out). The killed run's state directory is copied, and each copy
 * is restarted once, so every variant starts from the same bytes:
 * <ul>
 *   <li>busy store, SIGKILLed after loading N records (RocksDB flushed many times): wipe on / wipe off;</li>
 *   <li>quiet store, SIGKILLed shortly after a clean restart and a few records (nothing flushed since it opened):
 *       wipe on / wipe off;</li>
 *   <li>clean close, for reference.</li>
 * </ul>
 * Figures: records restored (from {@link RestoreProgress}; its log gives each restore's duration), and time from start until a probe record
 * sent at start is in the read_committed output. Run:
 * {@code mvn -o -pl service-support verify -Dit.test=RestoreAfterCrashBenchIT -Drestore.bench.records=300000}.
 */
@WithKafkaBroker
@EnabledIfSystemProperty(named = "restore.bench.records", matches = "\\d+")
class RestoreAfterCrashBenchIT {

    private static final Logger log = LoggerFactory.getLogger(RestoreAfterCrashBenchIT.class);
    private static final String MEMBER = "bench-member";

    @TempDir
    Path dir;

    @RegisterExtension
    final CrashableAppRun app = new CrashableAppRun("restore-bench");
    private final String run = app.run;
    private final String input = app.input;
    private final String output = app.output;
    private final String applicationId = app.applicationId;
    private final List<String> report = new ArrayList<>();
    private long sent;

    @Test
    void measureRestartsAfterASigkillWithAndWithoutTheWipe() throws Exception {
        int records = Integer.getInteger("restore.bench.records");
        app.createTopics(1);
        Path busy = dir.resolve("busy");
        long loadStart = System.nanoTime();
        ServiceProcess loader = app.launch(busy, MEMBER, null, Map.of());
        sendValues(records, 100);
        awaitCommitted(Duration.ofMinutes(15));
        log.info("loaded {} records in {} s", records, (System.nanoTime() - loadStart) / 1_000_000_000);
        loader.kill();
        report.add(String.format("store: %d entries, changelog %.1f MB, state dir %.1f MB", records,
                changelogBytes() / 1e6, sizeOf(busy) / 1e6));

        Path busyOff = copy(busy, dir.resolve("busy-off"));
        restart("busy store, SIGKILL, wipe on ", busy, true);
        restart("busy store, SIGKILL, wipe off", busyOff, false);
        restart("clean close, restart        ", busyOff, false);

        ServiceProcess quiet = app.launch(busyOff, MEMBER, null, Map.of());
        sendValues(10, 100);
        awaitCommitted(Duration.ofMinutes(2));
        quiet.kill();
        Path quietOn = copy(busyOff, dir.resolve("quiet-on"));
        restart("quiet store, SIGKILL, wipe on ", quietOn, true);
        restart("quiet store, SIGKILL, wipe off", busyOff, false);

        log.info("Restart after SIGKILL, {} records, RocksDB memtable budget 2 MiB:\n{}", records,
                String.join("\n", report));
    }

    private void restart(String variant, Path state, boolean wipe) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ManagedKafkaStreams streams = app.create(app.settings(state, MEMBER, Map.of())
                .withWipeAfterUncleanShutdown(wipe), registry);
        String probe = "probe-" + UUID.randomUUID();
        try (KafkaConsumer<String, String> consumer = outputFromEnd()) {
            long started = System.nanoTime();
            streams.start();
            send(probe);
            boolean processed = awaitValue(consumer, probe, streams, Duration.ofMinutes(10));
            long processingAfterMs = (System.nanoTime() - started) / 1_000_000;
            if (!processed) {
                report.add(String.format("%s: stream thread died after %,d ms: %s", variant, processingAfterMs,
                        streams.fatalError()));
                log.info(report.get(report.size() - 1));
                return;
            }
            double restored = registry.get("streamfleet.streams.restore.records").functionCounter().count();
            double wipes = registry.get("streamfleet.streams.state.wipes").tag("reason", "unclean-shutdown")
                    .counter().count();
            report.add(String.format("%s: our wipe %s, restored %,.0f records, processing again after %,d ms "
                    + "(restore durations: RestoreProgress log lines)", variant, wipes > 0 ? "yes" : "no ", restored,
                    processingAfterMs));
            log.info(report.get(report.size() - 1));
        } finally {
            streams.stop();
        }
    }

    private void sendValues(int count, int bytes) {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                String value = run + "-" + sent++ + "-";
                producer.send(new ProducerRecord<>(input, "k", value + "v".repeat(Math.max(0, bytes - value.length()))));
            }
        }
    }

    private void send(String value) {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(input, "k", value));
        }
        sent++;
    }

    /** Waits until the application's committed input offset reaches the number of records sent. */
    private void awaitCommitted(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedKafkaBroker.bootstrapServers()))) {
            while (System.nanoTime() < deadline) {
                OffsetAndMetadata committed = admin.listConsumerGroupOffsets(applicationId)
                        .partitionsToOffsetAndMetadata().get().get(new TopicPartition(input, 0));
                if (committed != null && committed.offset() >= sent) {
                    return;
                }
                Thread.sleep(500);
            }
        }
        throw new AssertionError("input not processed within " + timeout);
    }

    private KafkaConsumer<String, String> outputFromEnd() {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer());
        TopicPartition partition = new TopicPartition(output, 0);
        consumer.assign(List.of(partition));
        consumer.seekToEnd(List.of(partition));
        consumer.position(partition);
        return consumer;
    }

    /** True once the value is in the output; false if the client's stream thread died first. */
    private static boolean awaitValue(KafkaConsumer<String, String> consumer, String value, ManagedKafkaStreams streams,
                                      Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (var record : consumer.poll(Duration.ofMillis(50))) {
                if (value.equals(record.value())) {
                    return true;
                }
            }
            if (streams.fatalError() != null) {
                return false;
            }
        }
        throw new AssertionError(value + " not in the output within " + timeout);
    }

    private long changelogBytes() throws Exception {
        String changelog = applicationId + "-" + CrashableStreamsApp.STORE + "-changelog";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedKafkaBroker.bootstrapServers()))) {
            return admin.describeLogDirs(List.of(0)).allDescriptions().get().values().stream()
                    .flatMap(dirs -> dirs.values().stream())
                    .flatMap(d -> d.replicaInfos().entrySet().stream())
                    .filter(e -> e.getKey().topic().equals(changelog))
                    .mapToLong(e -> e.getValue().size()).sum();
        }
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Files.copy(source, to.resolve(from.relativize(source).toString()));
            }
        }
        assertThat(sizeOf(to)).isEqualTo(sizeOf(from));
        return to;
    }

    private static long sizeOf(Path path) throws IOException {
        try (Stream<Path> files = Files.walk(path)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}

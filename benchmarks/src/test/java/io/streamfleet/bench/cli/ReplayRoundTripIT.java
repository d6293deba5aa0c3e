package io.streamfleet.bench.cli;

import io.streamfleet.bench.replay.RecordingHeader;
import io.streamfleet.bench.replay.RecordingReader;
import io.streamfleet.contracts.alert.AlertType;
import io.streamfleet.contracts.alert.AnomalyAlert;
import io.streamfleet.contracts.alert.EngagementAlert;
import io.streamfleet.contracts.progress.ProgressMark;
import io.streamfleet.contracts.progress.ProgressRecords;
import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import io.streamfleet.testkit.kafka.WithKafkaBroker;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * record → replay → compare-alerts against the in-JVM KRaft broker: events and progress records written to the raw
 * topics (plus a committed and an aborted transaction) are recorded to a file and replayed into a second set of
 * topics, which must then hold the same records byte for byte, partition by partition, in the same order.
 */
@WithKafkaBroker
class ReplayRoundTripIT {

    private static final List<String> RAW = List.of("orders.raw", "engagement.raw");
    private static final int PARTITIONS = SharedKafkaBroker.PARTITIONS;
    private static final long SPAN_MS = 2_000;

    @TempDir
    static Path dir;

    private static String servers;
    private static Path recording;
    private static long base;

    @BeforeAll
    static void writeRawTopicsAndRecordThem() throws Exception {
        servers = SharedKafkaBroker.bootstrapServers();
        List<NewTopic> topics = new ArrayList<>();
        for (String prefix : List.of("copy.", "paced.", "busy.")) {
            RAW.forEach(t -> topics.add(new NewTopic(prefix + t, PARTITIONS, (short) 1)));
        }
        topics.add(new NewTopic("small.orders.raw", 1, (short) 1));
        topics.add(new NewTopic("small.engagement.raw", PARTITIONS, (short) 1));
        topics.add(new NewTopic("b.alerts.anomaly", PARTITIONS, (short) 1));
        topics.add(new NewTopic("b.alerts.engagement", PARTITIONS, (short) 1));
        SharedKafkaBroker.createTopics(topics);

        base = System.currentTimeMillis() - 60_000;
        try (KafkaProducer<byte[], byte[]> producer = producer(null)) {
            for (int i = 0; i < 20; i++) {
                long ts = base + i * SPAN_MS / 20;
                for (String topic : RAW) {
                    for (int p = 0; p < PARTITIONS; p++) {
                        producer.send(data(topic, p, ts, i));
                        if (i % 5 == 4) {
                            producer.send(new ProducerRecord<>(topic, p, ts, null, null,
                                    ProgressRecords.headers(ProgressMark.clock("gw-it", ts))));
                        }
                    }
                }
            }
            producer.send(new ProducerRecord<>("orders.raw", 1, base + SPAN_MS, bytes("spaced"),
                    bytes("{ \"eventId\" : \"spaced\" }"), new RecordHeaders()));
            producer.send(new ProducerRecord<>("orders.raw", 2, base + SPAN_MS, new byte[] {(byte) 0xff, 0},
                    new byte[] {(byte) 0xfe, (byte) 0x80, 1},
                    new RecordHeaders().add("dup", null).add("dup", bytes("2"))));
        }
        try (KafkaProducer<byte[], byte[]> tx = producer("replay-it-tx")) {
            tx.initTransactions();
            tx.beginTransaction();
            tx.send(data("orders.raw", 0, base + SPAN_MS, 90));
            tx.abortTransaction();
            tx.beginTransaction();
            tx.send(data("orders.raw", 0, base + SPAN_MS, 91));
            tx.commitTransaction();
        }
        awaitNoOpenTransaction(new TopicPartition("orders.raw", 0));
        recording = dir.resolve("raw.ndjson.gz");
        Run run = fleetBench("record", "--bootstrap", servers, "--out", recording.toString());
        assertThat(run.exit).as(run.console).isZero();
        assertThat(run.console).contains("Recorded 147 records");
    }

    @Test
    void shouldHoldEveryCommittedRecordWithCountsWhenRecorded() throws Exception {
        try (RecordingReader reader = RecordingReader.open(recording)) {
            RecordingHeader h = reader.header();
            RecordingHeader.TopicSummary orders = h.topic("orders.raw").orElseThrow();
            assertThat(orders.partitions()).isEqualTo(PARTITIONS);
            // 60 events + 12 progress records + 2 odd records + 1 committed (the aborted one is not read)
            assertThat(orders.records()).isEqualTo(75);
            assertThat(orders.progressRecords()).isEqualTo(12);
            assertThat(h.topic("engagement.raw").orElseThrow().records()).isEqualTo(72);
            assertThat(h.records()).isEqualTo(147);
        }
    }

    @Test
    void shouldReproduceEveryRecordByteForByteInItsPartitionWhenReplayedAtFullSpeed() {
        Run run = fleetBench("replay", "--bootstrap", servers, "--file", recording.toString(), "--topic-prefix",
                "copy.");
        assertThat(run.exit).as(run.console).isZero();
        assertThat(run.console).contains("Replayed 147 records (24 progress records)");
        for (String topic : RAW) {
            assertThat(read("copy." + topic)).as(topic).isEqualTo(read(topic));
        }
    }

    @Test
    void shouldKeepTheRecordedPaceWhenReplayedAtAFactor() {
        long start = System.nanoTime();
        Run run = fleetBench("replay", "--bootstrap", servers, "--file", recording.toString(), "--topic-prefix",
                "paced.", "--speed", "4");
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(run.exit).as(run.console).isZero();
        assertThat(tookMs).as("2 s of recorded time at 4x").isGreaterThanOrEqualTo(SPAN_MS / 4 - 20);
        for (String topic : RAW) {
            assertThat(read("paced." + topic)).as(topic).isEqualTo(read(topic));
        }
    }

    @Test
    void shouldRefuseWhenATargetTopicHasFewerPartitionsOrAlreadyHoldsRecords() throws Exception {
        Run small = fleetBench("replay", "--bootstrap", servers, "--file", recording.toString(), "--topic-prefix",
                "small.");
        assertThat(small.exit).isEqualTo(2);
        assertThat(small.console).contains("cannot replay: topic small.orders.raw has 1 partitions, the recording "
                + "has 3");
        try (KafkaProducer<byte[], byte[]> producer = producer(null)) {
            producer.send(data("busy.orders.raw", 0, base, 0)).get();
        }
        Run busy = fleetBench("replay", "--bootstrap", servers, "--file", recording.toString(), "--topic-prefix",
                "busy.");
        assertThat(busy.exit).isEqualTo(2);
        assertThat(busy.console).contains("topic busy.orders.raw is not empty").contains("--append");
        assertThat(read("busy.engagement.raw").values()).allMatch(List::isEmpty);
        Run missing = fleetBench("replay", "--bootstrap", servers, "--file", recording.toString(), "--topic-prefix",
                "none.");
        assertThat(missing.exit).isEqualTo(2);
        assertThat(missing.console).contains("topic none.orders.raw does not exist");
        Run unknown = fleetBench("record", "--bootstrap", servers, "--topics", "orders.raw,none.raw", "--out",
                dir.resolve("none.ndjson.gz").toString());
        assertThat(unknown.exit).isEqualTo(2);
        assertThat(unknown.console).contains("topic none.raw does not exist on " + servers);
    }

    @Test
    void shouldRecordOnlyTheStretchBeforeTheGivenTimeWhenToTimeIsGiven() throws Exception {
        Path file = dir.resolve("first-half.ndjson.gz");
        Run run = fleetBench("record", "--bootstrap", servers, "--topics", "engagement.raw", "--to-time",
                Long.toString(base + SPAN_MS / 2), "--out", file.toString());
        assertThat(run.exit).as(run.console).isZero();
        try (RecordingReader reader = RecordingReader.open(file)) {
            // events 0..9 and the progress records after events 4 and 9, per partition
            assertThat(reader.header().records()).isEqualTo(PARTITIONS * 12L);
            assertThat(reader.header().topicNames()).containsExactly("engagement.raw");
        }
    }

    @Test
    void shouldFindAlertsOnlyInAOnlyInBAndDifferingFieldsWhenComparingTwoAlertSets() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer(null)) {
            for (String prefix : List.of("", "b.")) {
                List<AnomalyAlert> anomalies = new ArrayList<>(List.of(anomaly("a1", 8)));
                anomalies.add(anomaly("a2", prefix.isEmpty() ? 8 : 9));
                anomalies.add(anomaly(prefix.isEmpty() ? "a4" : "a3", 8));
                for (AnomalyAlert a : anomalies) {
                    producer.send(new ProducerRecord<>(prefix + "alerts.anomaly", null, a.detectedAtMs(),
                            bytes(a.key()), Topics.ANOMALY_ALERT_SERDE.serializer().serialize("t", a)));
                }
                EngagementAlert e = new EngagementAlert("e1", AlertType.ENGAGEMENT_DROP, "u1", base, base + 60_000,
                        1200.5, 4000.0, 0.7, base + 70_000, "drop");
                producer.send(new ProducerRecord<>(prefix + "alerts.engagement", null, e.detectedAtMs(),
                        bytes(e.key()), Topics.ENGAGEMENT_ALERT_SERDE.serializer().serialize("t", e)));
            }
        }
        Path a = dir.resolve("alerts-a.ndjson.gz");
        Path b = dir.resolve("alerts-b.ndjson.gz");
        assertThat(fleetBench("record", "--bootstrap", servers, "--topics", "alerts.anomaly,alerts.engagement",
                "--out", a.toString()).exit).isZero();
        assertThat(fleetBench("record", "--bootstrap", servers, "--topics", "b.alerts.anomaly,b.alerts.engagement",
                "--out", b.toString()).exit).isZero();

        Run files = fleetBench("compare-alerts", "--a", a.toString(), "--b", b.toString(), "--b-prefix", "b.");
        assertThat(files.exit).as(files.console).isEqualTo(3);
        assertThat(files.console)
                .contains("only in A: 1   only in B: 1   in both: 3 (identical 2, differing 1)")
                .contains("only in A:\n  a4  BURST_CREATE_MASS_CANCEL").contains("only in B:\n  a3  ")
                .contains("a2 (alerts.anomaly)").contains("canceled: A=8  B=9").contains("cancelRatio: A=0.8  B=0.9");

        Run brokers = fleetBench("compare-alerts", "--a", "kafka:" + servers, "--b", "kafka:" + servers,
                "--b-prefix", "b.");
        assertThat(brokers.exit).as(brokers.console).isEqualTo(3);
        assertThat(brokers.console).contains("only in A: 1   only in B: 1   in both: 3 (identical 2, differing 1)");

        Run same = fleetBench("compare-alerts", "--a", a.toString(), "--b", "kafka:" + servers);
        assertThat(same.exit).as(same.console).isZero();
        assertThat(same.console).contains("The alert sets are identical.");
    }

    private AnomalyAlert anomaly(String id, int canceled) {
        return new AnomalyAlert(id, AlertType.BURST_CREATE_MASS_CANCEL, "acct", "ACME", base, base + 1_000, 10,
                canceled, canceled / 10.0, 2, List.of(100L, 101L), base + 5_000, "burst");
    }

    private static ProducerRecord<byte[], byte[]> data(String topic, int partition, long ts, int i) {
        String id = topic + "-" + partition + "-" + i;
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", new byte[] {(byte) i, (byte) 0xff});
        return new ProducerRecord<>(topic, partition, ts, bytes("acct-" + partition + "|ACME"),
                bytes("{\"eventId\":\"" + id + "\",\"eventTimeMs\":" + ts + ",\"qty\":1.5}"), headers);
    }

    private static KafkaProducer<byte[], byte[]> producer(String transactionalId) {
        Map<String, Object> config = new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true));
        if (transactionalId != null) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * commitTransaction returns once the coordinator has decided, before it has written the commit marker; until then
     * the partition's last stable offset (where a read_committed recorder stops) is still before the committed record.
     */
    private static void awaitNoOpenTransaction(TopicPartition partition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (endOffset(partition, "read_committed") < endOffset(partition, "read_uncommitted")) {
            assertThat(System.nanoTime()).as("commit marker of %s written within 30 s", partition).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static long endOffset(TopicPartition partition, String isolation) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        try (var consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            return consumer.endOffsets(List.of(partition)).get(partition);
        }
    }

    /** Every committed record of a topic, per partition in offset order, as comparable text (bytes in base64). */
    private static Map<Integer, List<String>> read(String topic) {
        Map<Integer, List<String>> out = new TreeMap<>();
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (var consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                tps.add(new TopicPartition(topic, p));
                out.put(p, new ArrayList<>());
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    out.get(r.partition()).add(text(r));
                }
            }
        }
        return out;
    }

    private static String text(ConsumerRecord<byte[], byte[]> r) {
        StringBuilder s = new StringBuilder().append(r.timestamp()).append(" key=").append(b64(r.key()))
                .append(" value=").append(b64(r.value()));
        for (Header h : r.headers()) {
            s.append(' ').append(h.key()).append('=').append(b64(h.value()));
        }
        return s.toString();
    }

    private static String b64(byte[] bytes) {
        return bytes == null ? "null" : Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private record Run(int exit, String console) {
    }

    private static Run fleetBench(String... args) {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        int exit = FleetBench.run(List.of(args), new PrintStream(console, true, StandardCharsets.UTF_8));
        return new Run(exit, console.toString(StandardCharsets.UTF_8));
    }
}

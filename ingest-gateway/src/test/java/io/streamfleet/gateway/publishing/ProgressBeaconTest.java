package io.streamfleet.gateway.publishing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.contracts.progress.ProgressKind;
import io.streamfleet.contracts.progress.ProgressMark;
import io.streamfleet.contracts.progress.ProgressRecords;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

class ProgressBeaconTest {

    private static final String ORDERS = "orders.raw";
    private static final String ENGAGEMENT = "engagement.raw";
    private static final String ID = "gw-0123abcd";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final GatewayMetrics metrics = new GatewayMetrics(registry);
    private final AtomicLong clock = new AtomicLong(1_000);
    private ProgressBeacon beacon;

    @AfterEach
    void closeBeacon() {
        if (beacon != null) {
            beacon.close();
        }
    }

    private static MockProducer<String, byte[]> producer(boolean autoComplete) {
        Node node = new Node(0, "localhost", 9092);
        List<PartitionInfo> partitions = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            partitions.add(new PartitionInfo(ORDERS, p, node, new Node[]{node}, new Node[]{node}));
        }
        for (int p = 0; p < 2; p++) {
            partitions.add(new PartitionInfo(ENGAGEMENT, p, node, new Node[]{node}, new Node[]{node}));
        }
        Cluster cluster = new Cluster("test", List.of(node), partitions, Set.of(), Set.of());
        return new MockProducer<>(cluster, autoComplete, null, new StringSerializer(), new ByteArraySerializer());
    }

    private ProgressBeacon beacon(MockProducer<String, byte[]> producer, Duration interval) {
        beacon = new ProgressBeacon(producer, List.of(ORDERS, ENGAGEMENT), ID, interval, clock::get, metrics,
                PublishLane.BATCHES);
        return beacon;
    }

    private double marks(String topic, String outcome) {
        return registry.get("streamfleet.gateway.progress.marks").tag("topic", topic).tag("outcome", outcome)
                .counter().count();
    }

    private double ackAgeMs() {
        return registry.get("streamfleet.gateway.progress.ack.age.ms").gauge().value();
    }

    private static List<ProgressMark> marksIn(List<ProducerRecord<String, byte[]>> records) {
        return records.stream().filter(r -> ProgressRecords.isProgress(r.headers()))
                .map(r -> ProgressRecords.read(r.headers())).toList();
    }

    private static Map<String, Set<Integer>> partitionsOf(List<ProducerRecord<String, byte[]>> records) {
        return records.stream().collect(Collectors.groupingBy(ProducerRecord::topic,
                Collectors.mapping(ProducerRecord::partition, Collectors.toSet())));
    }

    @Test
    void shouldWriteClockMarkToEveryPartitionOfEveryTopicWhenTicking() {
        MockProducer<String, byte[]> producer = producer(true);
        ProgressBeacon beacon = beacon(producer, Duration.ofMillis(200));

        beacon.tick();

        List<ProducerRecord<String, byte[]>> sent = producer.history();
        assertThat(sent).hasSize(5).allSatisfy(r -> {
            assertThat(r.key()).isNull();
            assertThat(r.value()).isNull();
        });
        assertThat(partitionsOf(sent)).isEqualTo(Map.of(ORDERS, Set.of(0, 1, 2), ENGAGEMENT, Set.of(0, 1)));
        assertThat(marksIn(sent)).containsOnly(ProgressMark.clock(ID, 1_000));
    }

    @Test
    void shouldCountSentMarksAndReportTheirAgeWhenAcknowledged() {
        MockProducer<String, byte[]> producer = producer(true);
        ProgressBeacon beacon = beacon(producer, Duration.ofMillis(200));
        beacon.tick();
        clock.set(1_200);

        beacon.tick();

        assertThat(marks(ORDERS, "sent")).isEqualTo(3);
        assertThat(marks(ENGAGEMENT, "sent")).isEqualTo(2);
        assertThat(marks(ORDERS, "failed")).isZero();
        clock.set(1_250);
        assertThat(ackAgeMs()).isEqualTo(250);
    }

    @Test
    void shouldWriteRoundsAtTheIntervalWhenStarted() {
        MockProducer<String, byte[]> producer = producer(true);
        ProgressBeacon beacon = new ProgressBeacon(producer, List.of(ORDERS, ENGAGEMENT), ID, Duration.ofMillis(50),
                System::currentTimeMillis, metrics, PublishLane.BATCHES);
        this.beacon = beacon;
        long started = System.nanoTime();

        beacon.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() >= 10 * 5);
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        List<Long> times = marksIn(producer.history()).stream().map(ProgressMark::timeMs).distinct().toList();
        assertThat(times.size()).as("no more rounds than the interval allows in %d ms", elapsedMs)
                .isLessThanOrEqualTo((int) (elapsedMs / 50) + 2);
        assertThat(partitionsOf(producer.history()))
                .isEqualTo(Map.of(ORDERS, Set.of(0, 1, 2), ENGAGEMENT, Set.of(0, 1)));
    }

    @Test
    void shouldWriteLeavingMarkToEveryPartitionAfterTheLastEventAndFlushWhenClosed() {
        MockProducer<String, byte[]> producer = producer(false);
        ProgressBeacon beacon = beacon(producer, Duration.ofMillis(200));
        beacon.tick();
        producer.send(new ProducerRecord<>(ORDERS, 1, "acc|AAPL", new byte[]{1}));
        clock.set(1_300);

        beacon.close();

        List<ProducerRecord<String, byte[]>> sent = producer.history();
        List<ProducerRecord<String, byte[]>> last = sent.subList(sent.size() - 5, sent.size());
        assertThat(partitionsOf(last)).isEqualTo(Map.of(ORDERS, Set.of(0, 1, 2), ENGAGEMENT, Set.of(0, 1)));
        assertThat(marksIn(last)).hasSize(5).containsOnly(ProgressMark.leaving(ID, 1_300));
        assertThat(sent.indexOf(sent.stream().filter(r -> r.value() != null).findFirst().orElseThrow()))
                .isLessThan(sent.size() - 5);
        assertThat(producer.flushed()).isTrue();
        assertThat(producer.closed()).as("the producer closer closes it, not the beacon").isFalse();
        assertThat(marks(ORDERS, "sent")).as("3 clock + 3 leaving").isEqualTo(6);
    }

    @Test
    void shouldWriteNothingMoreAfterTheLeavingMarkWhenClosedWhileTicking() throws InterruptedException {
        MockProducer<String, byte[]> producer = producer(true);
        ProgressBeacon beacon = beacon(producer, Duration.ofMillis(10));
        beacon.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() >= 15);

        beacon.close();
        int afterClose = producer.history().size();
        Thread.sleep(100);

        List<ProgressMark> marks = marksIn(producer.history());
        assertThat(producer.history()).hasSize(afterClose);
        assertThat(marks.subList(marks.size() - 5, marks.size())).extracting(ProgressMark::kind)
                .containsOnly(ProgressKind.LEAVING);
        assertThat(marks.subList(0, marks.size() - 5)).extracting(ProgressMark::kind).containsOnly(ProgressKind.CLOCK);
    }

    @Test
    void shouldCountFailureAndKeepTickingWhenMetadataIsUnavailable() {
        MockProducer<String, byte[]> producer = producer(true);
        ProgressBeacon beacon = beacon(producer, Duration.ofMillis(200));
        producer.partitionsForException = new TimeoutException("Topic not present in metadata after 2000 ms");

        assertThatCode(beacon::tick).doesNotThrowAnyException();
        assertThatCode(beacon::tick).doesNotThrowAnyException();

        assertThat(marks(ORDERS, "failed")).isEqualTo(2);
        assertThat(marks(ENGAGEMENT, "failed")).isEqualTo(2);
        assertThat(producer.history()).isEmpty();
        producer.partitionsForException = null;
        beacon.tick();
        assertThat(producer.history()).hasSize(5);
    }

    @Test
    void shouldCountRejectedMarksAndLetTheirAgeGrowWhenTheBrokerFailsThem() {
        MockProducer<String, byte[]> producer = producer(false);
        ProgressBeacon beacon = beacon(producer, Duration.ofMillis(200));
        beacon.tick();
        while (producer.errorNext(new TimeoutException("Expiring 1 record(s)"))) {
            // every mark of the round fails
        }
        clock.set(6_000);

        assertThatCode(beacon::tick).doesNotThrowAnyException();

        assertThat(marks(ORDERS, "failed")).isEqualTo(3);
        assertThat(marks(ENGAGEMENT, "failed")).isEqualTo(2);
        assertThat(marks(ORDERS, "sent")).isZero();
        assertThat(ackAgeMs()).as("no mark acknowledged since the beacon started at 1 000").isEqualTo(5_000);
        producer.completeNext();
        clock.set(6_100);
        beacon.tick();
        assertThat(marks(ORDERS, "sent")).isEqualTo(1);
        assertThat(ackAgeMs()).isEqualTo(100);
    }

    @Test
    void shouldCountFailureAndNotThrowWhenSendThrows() {
        MockProducer<String, byte[]> producer = producer(true);
        ProgressBeacon beacon = beacon(producer, Duration.ofMillis(200));
        producer.sendException = new IllegalStateException("Cannot perform operation after producer has been closed");

        assertThatCode(beacon::tick).doesNotThrowAnyException();
        assertThatCode(beacon::close).doesNotThrowAnyException();

        assertThat(marks(ORDERS, "failed")).isEqualTo(2);
        assertThat(marks(ENGAGEMENT, "failed")).isEqualTo(2);
    }
}

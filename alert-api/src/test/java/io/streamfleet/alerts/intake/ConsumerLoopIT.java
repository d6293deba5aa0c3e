package io.streamfleet.alerts.intake;

import io.streamfleet.support.kafka.KafkaClients;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The consume loop and the manual-commit group the webhook dispatcher and the relays run on, against the real broker:
 * a stop wakes the poll and the reader's last step still commits; a new group's start is committed at once; a
 * reader that fails ends the loop.
 */
class ConsumerLoopIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String topic = "consumer-loop-it-" + run;
    private final TopicPartition partition = new TopicPartition(topic, 0);
    private KafkaClients clients;
    private ConsumerLoop loop;

    @BeforeEach
    void createTopic() {
        clients = KafkaClients.forBootstrapServers(SharedKafkaBroker.bootstrapServers());
        SharedKafkaBroker.createTopics(List.of(new NewTopic(topic, 1, (short) 1)));
    }

    @AfterEach
    void stopLoop() throws InterruptedException {
        if (loop != null) {
            loop.stop();
            loop.awaitStopped(WAIT);
        }
    }

    @Test
    void shouldCommitWhatTheReaderFinishedWhenStoppedWhilePolling() throws Exception {
        produce(5);
        Map<TopicPartition, OffsetAndMetadata> done = new ConcurrentHashMap<>();
        ManualCommitGroup group = new ManualCommitGroup("loop-it", (kafka, revoked) -> { });
        loop = loop("earliest", group, new Reader(group) {
            @Override
            public void poll(KafkaConsumer<byte[], byte[]> kafka, ConsumerRecords<byte[], byte[]> records) {
                records.forEach(r -> done.put(partition, new OffsetAndMetadata(r.offset() + 1)));
            }

            @Override
            public void stopped(KafkaConsumer<byte[], byte[]> kafka) {
                kafka.commitSync(done);
            }
        });
        loop.start();
        await().atMost(WAIT).until(() -> done.containsKey(partition) && done.get(partition).offset() == 5);
        assertThat(committed()).as("only the group's start so far").isZero();

        long stopping = System.nanoTime();
        loop.stop();
        loop.awaitStopped(WAIT);

        assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(10));
        assertThat(committed()).as("committed by the reader's last step, after the wake-up").isEqualTo(5);
    }

    @Test
    void shouldCommitWhereANewGroupStartsWhenItsPartitionsAreFirstAssigned() throws Exception {
        produce(3);
        ManualCommitGroup group = new ManualCommitGroup("loop-it", (kafka, revoked) -> { });
        loop = loop("latest", group, new Reader(group));
        loop.start();

        await().atMost(WAIT).until(group::isAssigned);

        assertThat(committed()).as("'latest' fixed at the end before anything was read").isEqualTo(3);
    }

    @Test
    void shouldEndTheLoopWithoutTheLastStepWhenTheReaderFails() throws Exception {
        produce(1);
        AtomicInteger polls = new AtomicInteger();
        AtomicInteger lastSteps = new AtomicInteger();
        ManualCommitGroup group = new ManualCommitGroup("loop-it", (kafka, revoked) -> { });
        loop = loop("earliest", group, new Reader(group) {
            @Override
            public void poll(KafkaConsumer<byte[], byte[]> kafka, ConsumerRecords<byte[], byte[]> records) {
                polls.incrementAndGet();
                if (!records.isEmpty()) {
                    throw new IllegalStateException("the reader cannot go on");
                }
            }

            @Override
            public void stopped(KafkaConsumer<byte[], byte[]> kafka) {
                lastSteps.incrementAndGet();
            }
        });
        loop.start();
        await().atMost(WAIT).until(() -> polls.get() > 0 && group.isAssigned());
        int afterFailure = awaitSteady(polls);

        Thread.sleep(1_000);

        assertThat(polls.get()).as("no poll after the failure").isEqualTo(afterFailure);
        assertThat(lastSteps.get()).isZero();
        assertThat(committed()).as("nothing past the failed record").isZero();
    }

    /** A reader that joins the group and does nothing more. */
    private class Reader implements ConsumerLoop.Reader {
        private final ManualCommitGroup group;

        Reader(ManualCommitGroup group) {
            this.group = group;
        }

        @Override
        public boolean open(KafkaConsumer<byte[], byte[]> kafka) {
            group.subscribe(kafka, List.of(topic));
            return true;
        }

        @Override
        public void poll(KafkaConsumer<byte[], byte[]> kafka, ConsumerRecords<byte[], byte[]> records) {
        }
    }

    private ConsumerLoop loop(String autoOffsetReset, ManualCommitGroup group, ConsumerLoop.Reader reader) {
        return new ConsumerLoop("loop it " + run, clients, ManualCommitGroup.config("loop-it-" + run,
                autoOffsetReset, "loop-it-" + run), Duration.ofMillis(100), reader);
    }

    private static int awaitSteady(AtomicInteger counter) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(new Callable<Boolean>() {
            private int last = -1;

            @Override
            public Boolean call() {
                int now = counter.get();
                boolean steady = now == last;
                last = now;
                return steady;
            }
        });
        return counter.get();
    }

    private long committed() throws Exception {
        try (Admin admin = clients.admin(Map.of())) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets("loop-it-" + run)
                    .partitionsToOffsetAndMetadata().get().get(partition);
            return offset == null ? 0 : offset.offset();
        }
    }

    private void produce(int count) throws Exception {
        try (KafkaProducer<String, String> producer = clients.producer(Map.of(), new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k", "v" + i)).get();
            }
        }
    }
}

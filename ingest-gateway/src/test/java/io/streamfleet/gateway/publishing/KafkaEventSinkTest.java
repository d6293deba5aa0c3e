package io.streamfleet.gateway.publishing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.gateway.intake.EventKind;
import io.streamfleet.gateway.intake.IntakeItem;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a send runs and where its answer is delivered: the thread hops of the hot path. */
class KafkaEventSinkTest {

    final List<String> sendThreads = new CopyOnWriteArrayList<>();
    final MockProducer<String, byte[]> producer = new MockProducer<>(cluster(), false, null, new StringSerializer(),
            new ByteArraySerializer()) {
        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
            sendThreads.add(Thread.currentThread().getName());
            return super.send(record, callback);
        }
    };
    final Scheduler sendScheduler = Schedulers.newSingle("kafka-send-test");
    final ExecutorService eventLoop = Executors.newSingleThreadExecutor(r -> new Thread(r, "loop-test"));

    @AfterEach
    void stop() {
        sendScheduler.dispose();
        eventLoop.shutdownNow();
    }

    static Cluster cluster() {
        Node node = new Node(0, "localhost", 9092);
        return new Cluster("test", List.of(node),
                List.of(new PartitionInfo("orders.raw", 0, node, new Node[] {node}, new Node[] {node})), Set.of(),
                Set.of());
    }

    KafkaEventSink sink(long inlineBytes) {
        return new KafkaEventSink(producer, Map.of(EventKind.ORDER, "orders.raw"), sendScheduler,
                Duration.ofSeconds(5), new GatewayMetrics(new SimpleMeterRegistry()), inlineBytes,
                PublishLane.BATCHES);
    }

    static List<IntakeItem.Valid> one(String id) {
        return List.of(new IntakeItem.Valid(0, id, EventKind.ORDER, "acc|AAPL", new byte[] {'{', '}'}, 1L));
    }

    /** Sends from the calling thread, acknowledges, and returns the name of the thread the answer came on. */
    String answerThread(KafkaEventSink sink, String id, Context context) throws Exception {
        AtomicReference<String> answeredOn = new AtomicReference<>();
        CompletableFuture<List<SendOutcome>> done = sink.send(one(id), "writer", 1L)
                .doOnNext(o -> answeredOn.set(Thread.currentThread().getName()))
                .contextWrite(context).toFuture();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!producer.completeNext()) {
            assertThat(System.nanoTime()).as("the send reached the producer").isLessThan(deadline);
            Thread.sleep(1);
        }
        assertThat(done.get(5, TimeUnit.SECONDS)).allMatch(SendOutcome::acked);
        return answeredOn.get();
    }

    @Test
    void shouldSendOnItsOwnSchedulerUntilTheTopicWasAcknowledged() throws Exception {
        KafkaEventSink sink = sink(1 << 20);
        answerThread(sink, "e-1", Context.empty());
        answerThread(sink, "e-2", Context.empty());

        // once the topic has had an ack its metadata is cached: send() cannot block and runs on the caller's thread
        assertThat(sendThreads).hasSize(2);
        assertThat(sendThreads.get(0)).startsWith("kafka-send-test");
        assertThat(sendThreads.get(1)).isEqualTo(Thread.currentThread().getName());
    }

    @Test
    void shouldNeverSendOnTheCallersThreadWhenInlineSendsAreOff() throws Exception {
        KafkaEventSink sink = sink(0);
        answerThread(sink, "e-1", Context.empty());
        answerThread(sink, "e-2", Context.empty());

        assertThat(sendThreads).hasSize(2).allMatch(t -> t.startsWith("kafka-send-test"));
    }

    @Test
    void shouldAnswerOnTheCallersExecutorWhenItGaveOneElseOnTheParallelScheduler() throws Exception {
        KafkaEventSink sink = sink(1 << 20);

        assertThat(answerThread(sink, "e-1", Context.of(EventSink.COMPLETE_ON, eventLoop))).isEqualTo("loop-test");
        assertThat(answerThread(sink, "e-2", Context.empty())).startsWith("parallel-");
    }
}

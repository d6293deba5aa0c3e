package io.streamfleet.gateway.publishing;

import io.streamfleet.contracts.topic.Headers;
import io.streamfleet.gateway.intake.EventKind;
import io.streamfleet.gateway.intake.IntakeItem;
import io.streamfleet.gateway.intake.PublishFailure;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Sends events with an idempotent, acks=all producer and reports each one only after the broker acknowledged it.
 * {@code send()} may block on metadata or a full buffer (bounded by {@code max.block.ms}), so it runs on its own
 * scheduler, never on a Netty event loop; completions move off the producer's I/O thread at once.
 */
public final class KafkaEventSink implements EventSink {

    private static final Logger log = LoggerFactory.getLogger(KafkaEventSink.class);

    private final Producer<String, byte[]> producer;
    private final Map<EventKind, String> topics;
    private final Scheduler sendScheduler;
    private final Duration answerWithin;
    private final GatewayMetrics metrics;

    /**
     * @param answerWithin after this long every unacknowledged event is reported as {@link PublishFailure#TIMEOUT};
     *                     at least the producer's {@code delivery.timeout.ms} so the producer decides first
     */
    public KafkaEventSink(Producer<String, byte[]> producer, Map<EventKind, String> topics, Scheduler sendScheduler,
                          Duration answerWithin, GatewayMetrics metrics) {
        this.producer = producer;
        this.topics = Map.copyOf(topics);
        this.sendScheduler = sendScheduler;
        this.answerWithin = answerWithin;
        this.metrics = metrics;
    }

    @Override
    public Mono<List<SendOutcome>> send(List<IntakeItem.Valid> events, String submittedBy, long ingestedAtMs) {
        if (events.isEmpty()) {
            return Mono.just(List.of());
        }
        return Mono.defer(() -> {
            Pending pending = new Pending(events.size(), metrics);
            return Mono.<List<SendOutcome>>create(sink -> {
                        pending.sink = sink;
                        sendAll(events, submittedBy, ingestedAtMs, pending);
                    })
                    .subscribeOn(sendScheduler)
                    .timeout(answerWithin, Mono.fromSupplier(pending::timedOut))
                    .publishOn(Schedulers.parallel());
        });
    }

    private void sendAll(List<IntakeItem.Valid> events, String submittedBy, long ingestedAtMs, Pending pending) {
        byte[] by = submittedBy.getBytes(StandardCharsets.UTF_8);
        byte[] at = Headers.encodeLong(ingestedAtMs);
        for (int i = 0; i < events.size(); i++) {
            IntakeItem.Valid event = events.get(i);
            String topic = topics.get(event.kind());
            RecordHeaders headers = new RecordHeaders();
            headers.add(new RecordHeader(Headers.INGESTED_AT_MS, at));
            headers.add(new RecordHeader(Headers.SUBMITTED_BY, by));
            ProducerRecord<String, byte[]> record =
                    new ProducerRecord<>(topic, null, event.key(), event.payload(), headers);
            int position = i;
            long started = System.nanoTime();
            metrics.inFlight().incrementAndGet();
            try {
                producer.send(record, (metadata, error) -> {
                    if (error == null) {
                        metrics.publishLatency(event.kind(), System.nanoTime() - started);
                        pending.complete(position, SendOutcome.acked(topic, metadata.partition(), metadata.offset()));
                    } else {
                        pending.complete(position, failure(topic, event, error));
                    }
                });
            } catch (RuntimeException e) {
                pending.complete(position, failure(topic, event, e));
            }
        }
    }

    private SendOutcome failure(String topic, IntakeItem.Valid event, Exception error) {
        PublishFailure failure = error instanceof TimeoutException ? PublishFailure.TIMEOUT : PublishFailure.BROKER_ERROR;
        metrics.publishError(failure, error);
        log.warn("event {} (key {}) not acknowledged by topic {}: {}", event.eventId(), event.key(), topic,
                error.toString());
        return SendOutcome.failed(failure);
    }

    /** The outcomes of one send call; completes the caller once every event has one. */
    private static final class Pending {
        private final AtomicReferenceArray<SendOutcome> outcomes;
        private final AtomicInteger remaining;
        private final GatewayMetrics metrics;
        private volatile MonoSink<List<SendOutcome>> sink;

        Pending(int size, GatewayMetrics metrics) {
            this.outcomes = new AtomicReferenceArray<>(size);
            this.remaining = new AtomicInteger(size);
            this.metrics = metrics;
        }

        void complete(int position, SendOutcome outcome) {
            metrics.inFlight().decrementAndGet();
            if (outcomes.compareAndSet(position, null, outcome) && remaining.decrementAndGet() == 0) {
                sink.success(snapshot(null));
            }
        }

        List<SendOutcome> timedOut() {
            return snapshot(SendOutcome.failed(PublishFailure.TIMEOUT));
        }

        private List<SendOutcome> snapshot(SendOutcome missing) {
            List<SendOutcome> list = new ArrayList<>(outcomes.length());
            for (int i = 0; i < outcomes.length(); i++) {
                SendOutcome outcome = outcomes.get(i);
                list.add(outcome == null ? missing : outcome);
            }
            return list;
        }
    }
}

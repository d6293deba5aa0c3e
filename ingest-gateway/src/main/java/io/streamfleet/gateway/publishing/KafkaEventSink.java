package io.streamfleet.gateway.publishing;

import io.streamfleet.contracts.topic.Headers;
import io.streamfleet.gateway.intake.EventKind;
import io.streamfleet.gateway.intake.IntakeItem;
import io.streamfleet.gateway.intake.PublishFailure;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Sends events with an idempotent, acks=all producer and reports each one only after the broker acknowledged it.
 * {@code send()} blocks (up to {@code max.block.ms}) only while a topic's metadata is unknown or the producer's buffer
 * is full. So a call is handed to its own scheduler unless both are ruled out: every topic it writes to had an
 * acknowledgement within {@link #WARM_METADATA} (the producer drops a topic's metadata only after 5 idle minutes), and
 * the bytes handed to the producer and not yet answered stay under {@code inlineBytes} (half the producer's buffer).
 * Then it is sent on the caller's thread, which saves a thread hop per request. Completions move off the producer's
 * I/O thread at once: to the caller's {@link EventSink#COMPLETE_ON} executor when it gave one, else to the parallel
 * scheduler.
 */
public final class KafkaEventSink implements EventSink {

    private static final Logger log = LoggerFactory.getLogger(KafkaEventSink.class);

    private final Producer<String, byte[]> producer;
    private final PublishLane lane;
    private final Map<EventKind, String> topics;
    private final Scheduler sendScheduler;
    private final Duration answerWithin;
    private final GatewayMetrics metrics;
    private final long inlineBytes;
    private final AtomicLong unansweredBytes = new AtomicLong();
    private final Map<String, AtomicLong> lastAckNanos;

    /** How recently a topic must have had an acknowledgement for its metadata to count as cached. */
    static final Duration WARM_METADATA = Duration.ofSeconds(60);
    private static final long WARM_NANOS = WARM_METADATA.toNanos();

    /**
     * @param answerWithin after this long every unacknowledged event is reported as {@link PublishFailure#TIMEOUT};
     *                     at least the producer's {@code delivery.timeout.ms} so the producer decides first
     * @param inlineBytes  at most this many unanswered bytes for a call to be sent on the caller's thread; 0 never
     * @param lane         which of the gateway's producers this is, for the meters
     */
    public KafkaEventSink(Producer<String, byte[]> producer, Map<EventKind, String> topics, Scheduler sendScheduler,
                          Duration answerWithin, GatewayMetrics metrics, long inlineBytes, PublishLane lane) {
        this.producer = producer;
        this.lane = lane;
        this.topics = Map.copyOf(topics);
        this.sendScheduler = sendScheduler;
        this.answerWithin = answerWithin;
        this.metrics = metrics;
        this.inlineBytes = inlineBytes;
        Map<String, AtomicLong> acks = new HashMap<>();
        this.topics.values().forEach(topic -> acks.put(topic, new AtomicLong(System.nanoTime() - 2 * WARM_NANOS)));
        this.lastAckNanos = Map.copyOf(acks);
    }


    @Override
    public Mono<List<SendOutcome>> send(List<IntakeItem.Valid> events, String submittedBy, long ingestedAtMs) {
        if (events.isEmpty()) {
            return Mono.just(List.of());
        }
        return Mono.deferContextual(context -> {
            Executor completeOn = context.getOrDefault(COMPLETE_ON, null);
            Pending pending = new Pending(events.size(), metrics, completeOn);
            Mono<List<SendOutcome>> sent = Mono.create(sink -> {
                pending.sink = sink;
                sendAll(events, submittedBy, ingestedAtMs, pending);
            });
            if (!canSendInline(events)) {
                sent = sent.subscribeOn(sendScheduler);
            }
            sent = sent.timeout(answerWithin, Mono.fromSupplier(pending::timedOut));
            return completeOn == null ? sent.publishOn(Schedulers.parallel()) : sent;
        });
    }

    /** True when send() cannot block: every topic's metadata is cached and the buffer has room for the call. */
    private boolean canSendInline(List<IntakeItem.Valid> events) {
        if (inlineBytes <= 0) {
            return false;
        }
        long now = System.nanoTime();
        long bytes = unansweredBytes.get();
        for (IntakeItem.Valid event : events) {
            AtomicLong lastAck = lastAckNanos.get(topics.get(event.kind()));
            if (lastAck == null || now - lastAck.get() > WARM_NANOS) {
                return false;
            }
            bytes += sizeOf(event);
            if (bytes > inlineBytes) {
                return false;
            }
        }
        return true;
    }

    /** What one record takes in the producer's buffer, roughly (payload, key, headers, record overhead). */
    private static long sizeOf(IntakeItem.Valid event) {
        return event.payload().length + event.key().length() * 3L + 128;
    }

    private void sendAll(List<IntakeItem.Valid> events, String submittedBy, long ingestedAtMs, Pending pending) {
        // the two headers are the same for every event of the call: one pair of (immutable) header objects for all
        Header ingestedAt = new RecordHeader(Headers.INGESTED_AT_MS, Headers.encodeLong(ingestedAtMs));
        Header by = new RecordHeader(Headers.SUBMITTED_BY, submittedBy.getBytes(StandardCharsets.UTF_8));
        metrics.inFlight().addAndGet(events.size());
        long total = 0;
        for (IntakeItem.Valid event : events) {
            total += sizeOf(event);
        }
        unansweredBytes.addAndGet(total);
        for (int i = 0; i < events.size(); i++) {
            IntakeItem.Valid event = events.get(i);
            String topic = topics.get(event.kind());
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null, event.key(), event.payload(),
                    new RecordHeaders(new Header[] {ingestedAt, by}));
            int position = i;
            long size = sizeOf(event);
            long started = System.nanoTime();
            AtomicLong lastAck = lastAckNanos.get(topic);
            try {
                producer.send(record, (metadata, error) -> {
                    unansweredBytes.addAndGet(-size);
                    if (error == null) {
                        long acked = System.nanoTime();
                        if (lastAck != null) {
                            lastAck.set(acked);
                        }
                        metrics.publishLatency(lane, event.kind(), acked - started);
                        pending.complete(position, SendOutcome.acked(topic, metadata.partition(), metadata.offset()));
                    } else {
                        pending.complete(position, failure(topic, event, error));
                    }
                });
            } catch (RuntimeException e) {
                unansweredBytes.addAndGet(-size);
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
        private final Executor completeOn;
        private volatile MonoSink<List<SendOutcome>> sink;

        Pending(int size, GatewayMetrics metrics, Executor completeOn) {
            this.outcomes = new AtomicReferenceArray<>(size);
            this.remaining = new AtomicInteger(size);
            this.metrics = metrics;
            this.completeOn = completeOn;
        }

        void complete(int position, SendOutcome outcome) {
            metrics.inFlight().decrementAndGet();
            if (outcomes.compareAndSet(position, null, outcome) && remaining.decrementAndGet() == 0) {
                List<SendOutcome> all = snapshot(null);
                if (completeOn == null) {
                    sink.success(all);
                } else {
                    try {
                        completeOn.execute(() -> sink.success(all));
                    } catch (RejectedExecutionException e) {
                        sink.success(all); // the event loop is shutting down: answer from here rather than never
                    }
                }
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

package io.streamfleet.processor.topology;

import io.streamfleet.contracts.topic.Headers;
import io.streamfleet.processor.dedup.DedupRule;
import io.streamfleet.processor.lateness.LatenessRule;
import io.streamfleet.support.time.BacklogProbe;
import io.streamfleet.support.time.MonotonicStreamTime;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Deduplication and lateness for one raw topic (SPEC §4). Per record:
 * <ol>
 *   <li>Duplicate (its eventId was first seen within the retention, in event time): dropped, counted, logged.</li>
 *   <li>Otherwise the id is remembered under its event time (first occurrence wins, also for late events).</li>
 *   <li>Late (event time behind stream time − allowed lateness): to the late topic with the stage and watermark in
 *   headers, counted, logged.</li>
 *   <li>Else stream time advances and the record goes to the clean topic with its headers (ingestion time kept),
 *   and — for orders — to the stats processor followed by a {@link StreamTimeTick} when stream time moved.</li>
 * </ol>
 * A wall-clock punctuation applies the idle rule (stream time moves by the wall time elapsed since the last record
 * once idle, unless the consumer still has unread records for the partition) and ticks the stats processor, so windows close although no record arrives. Stream time is stored in
 * a changelogged store whenever it moves, in the same transaction as the ids and offsets.
 */
final class EventGateProcessor<V> implements Processor<String, V, String, Object> {

    private static final Logger log = LoggerFactory.getLogger(EventGateProcessor.class);
    private static final byte[] SEEN = {1};
    private static final String STREAM_TIME = "stream-time";
    private static final byte[] STAGE = "stream-processor".getBytes(StandardCharsets.UTF_8);

    /** How the gate reads an event type. */
    record EventAccess<V>(Function<V, String> eventId, ToLongFunction<V> eventTimeMs, Function<V, String> key) {
    }

    /**
     * One gate's wiring.
     *
     * @param statsChild processor that receives accepted events and ticks, or null for none
     */
    record Wiring(String inputTopic, String idsStore, String timeStore, String cleanSink, String lateSink,
                  String statsChild) {
    }

    private final Wiring wiring;
    private final EventAccess<V> access;
    private final DedupRule dedup;
    private final LatenessRule lateness;
    private final Duration idleTimeout;
    private final Duration punctuationInterval;
    private final ProcessorMetrics metrics;
    private final ProcessorMetrics.TopicMeters meters;
    private final BacklogProbe backlog;
    private ProcessorContext<String, Object> context;
    private WindowStore<String, byte[]> ids;
    private KeyValueStore<String, Long> timeStore;
    private MonotonicStreamTime streamTime;
    private StoreSizeReporter sizes;
    private String task;
    private long pendingRestore = Long.MIN_VALUE;
    private long lastOffset = BacklogProbe.NOTHING_PROCESSED;

    EventGateProcessor(Wiring wiring, EventAccess<V> access, DedupRule dedup, LatenessRule lateness,
                       Duration idleTimeout, Duration punctuationInterval, ProcessorMetrics metrics,
                       BacklogProbe backlog) {
        this.wiring = wiring;
        this.access = access;
        this.dedup = dedup;
        this.lateness = lateness;
        this.idleTimeout = idleTimeout;
        this.punctuationInterval = punctuationInterval;
        this.metrics = metrics;
        this.meters = metrics.topic(wiring.inputTopic());
        this.backlog = backlog;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.ids = context.getStateStore(wiring.idsStore());
        this.timeStore = context.getStateStore(wiring.timeStore());
        this.task = context.taskId().toString();
        this.streamTime = new MonotonicStreamTime(idleTimeout.toMillis());
        // restored at the first record or punctuation: during init the task's wall clock is not yet meaningful
        Long persisted = timeStore.get(STREAM_TIME);
        this.pendingRestore = persisted == null ? Long.MIN_VALUE : persisted;
        this.lastOffset = backlog.fetchedOffset(wiring.inputTopic(), context.taskId().partition());
        this.sizes = new StoreSizeReporter(context, metrics, wiring.idsStore(), wiring.timeStore());
        context.schedule(punctuationInterval, PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    @Override
    public void process(Record<String, V> record) {
        restoreOnce();
        context.recordMetadata().ifPresent(m -> lastOffset = m.offset());
        meters.records.increment();
        meters.rate.add(1);
        V event = record.value();
        if (event == null) {
            meters.invalid.increment();
            log.warn("Skipping record without value from {}", position());
            return;
        }
        String eventId = access.eventId().apply(event);
        long eventTime = access.eventTimeMs().applyAsLong(event);
        if (seen(eventId, eventTime)) {
            meters.duplicates.increment();
            log.debug("Duplicate {} (event time {}) at {}: dropped", eventId, eventTime, position());
            return;
        }
        ids.put(eventId, SEEN, eventTime);
        String key = record.key() != null ? record.key() : access.key().apply(event);
        long before = streamTime.current();
        if (lateness.isLate(eventTime, before)) {
            divertLate(record.withKey(key), eventId, eventTime, lateness.watermarkMs(before));
            return;
        }
        long after = streamTime.onRecord(eventTime, context.currentSystemTimeMs());
        Record<String, Object> accepted = new Record<>(key, event, record.timestamp(), record.headers());
        context.forward(accepted, wiring.cleanSink());
        if (wiring.statsChild() != null) {
            context.forward(accepted, wiring.statsChild());
        }
        if (after != before) {
            moved(after);
        }
    }

    private boolean seen(String eventId, long eventTime) {
        try (WindowStoreIterator<byte[]> it = ids.fetch(eventId, dedup.lookupFromMs(eventTime),
                dedup.lookupToMs(eventTime))) {
            while (it.hasNext()) {
                KeyValue<Long, byte[]> first = it.next();
                if (dedup.isDuplicate(first.key, eventTime)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void divertLate(Record<String, V> record, String eventId, long eventTime, long watermark) {
        meters.late.increment();
        log.info("Late event {} of {} (event time {} < watermark {}) at {}: sent to the late topic", eventId,
                record.key(), eventTime, watermark, position());
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add(Headers.LATE_AT_STAGE, STAGE);
        headers.add(Headers.LATE_WATERMARK_MS, Headers.encodeLong(watermark));
        context.forward(new Record<String, Object>(record.key(), record.value(), record.timestamp(), headers),
                wiring.lateSink());
    }

    private void punctuate(long wallClockMs) {
        restoreOnce();
        long before = streamTime.current();
        // a partition with unread records is waiting for its turn on the stream thread (catch-up), not idle
        long after = backlog.hasBacklog(wiring.inputTopic(), context.taskId().partition(), lastOffset) ? before
                : streamTime.advance(wallClockMs);
        if (after != before) {
            if (log.isDebugEnabled()) {
                // the fetched offset is looked up only for the log line: this runs on every punctuation while idle
                log.debug("Idle advance of {} task {}: stream time {} -> {} (processed up to offset {}, fetched up "
                        + "to {})", wiring.inputTopic(), task, before, after, lastOffset,
                        backlog.fetchedOffset(wiring.inputTopic(), context.taskId().partition()));
            }
            moved(after);
        }
        if (after != Long.MIN_VALUE) {
            metrics.reportStreamTime(wiring.inputTopic(), task, after);
        }
        sizes.maybeReport(wallClockMs);
    }

    private void restoreOnce() {
        if (pendingRestore != Long.MIN_VALUE) {
            streamTime.restore(pendingRestore, context.currentSystemTimeMs());
            log.debug("Stream time of {} task {} restored to {}", wiring.inputTopic(), task, pendingRestore);
            pendingRestore = Long.MIN_VALUE;
        }
    }

    private void moved(long now) {
        timeStore.put(STREAM_TIME, now);
        if (wiring.statsChild() != null) {
            context.forward(new Record<String, Object>(null, new StreamTimeTick(now), now), wiring.statsChild());
        }
    }

    private String position() {
        return context.recordMetadata()
                .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset())
                .orElse("unknown position");
    }

    @Override
    public void close() {
        if (task != null) {
            metrics.forget(task);
        }
    }
}

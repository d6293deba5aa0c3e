package io.streamfleet.processor.topology;

import io.streamfleet.contracts.progress.ProgressMark;
import io.streamfleet.contracts.progress.ProgressRecords;
import io.streamfleet.processor.dedup.DedupRule;
import io.streamfleet.processor.dedup.RecentIdFilter;
import io.streamfleet.processor.lateness.LatenessRule;
import io.streamfleet.support.processor.LateRoute;
import io.streamfleet.support.processor.ProgressReader;
import io.streamfleet.support.processor.RecordPosition;
import io.streamfleet.support.progress.PartitionTime;
import io.streamfleet.support.progress.ProgressRules;
import io.streamfleet.support.progress.TaskStreamTime;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Deduplication, lateness and event-time progress for one raw topic (docs/event-time.md). Per data record:
 * <ol>
 *   <li>Duplicate (its eventId was first seen within the retention, in event time): dropped, counted, logged.</li>
 *   <li>Otherwise the id is remembered under its event time (first occurrence wins, also for late events).</li>
 *   <li>Late (event time behind stream time − allowed lateness): to the late topic with the stage and watermark in
 *   headers, counted, logged.</li>
 *   <li>Else stream time advances and the record goes to the same-numbered partition of the clean topic with its
 *   headers (ingestion time kept), and — for orders — to the stats processor followed by a {@link StreamTimeTick}
 *   when stream time moved.</li>
 * </ol>
 * Per progress record: the mark goes into the partition's {@link PartitionTime} (the gateway-clock idle rule); if
 * stream time moved, windows are ticked; then, if stream time is past the last mark this task wrote, a
 * {@code stream-time} mark follows the data it covers into the clean partition. Nothing here reads a wall clock to
 * decide time: the wall-clock punctuation only reports metrics. The partition time is saved in a changelogged store
 * whenever it changes, in the same transaction as the ids, the output and the offsets.
 */
final class EventGateProcessor<V> implements Processor<String, V, String, Object> {

    static final String SOURCE = "stream-processor";
    private static final Logger log = LoggerFactory.getLogger(EventGateProcessor.class);
    private static final byte[] SEEN = {1};

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
    private final ProgressRules progress;
    private final Duration reportInterval;
    private final ProcessorMetrics metrics;
    private final ProcessorMetrics.TopicMeters meters;
    private final LateRoute late;
    private final ProgressReader progressReader;
    private ProcessorContext<String, Object> context;
    private WindowStore<String, byte[]> ids;
    /**
     * Every id of {@link #ids} (filled from the whole store in {@link #init}, then with each id put), so a new id needs
     * no store read. Kafka Streams discards uncommitted store writes only by closing the task, and re-initialises the
     * processor before it processes again, so the filter is rebuilt from exactly what the store then holds.
     */
    private RecentIdFilter filter;
    private TaskStreamTime time;
    private StoreSizeReporter sizes;
    private String task;
    private int partition;
    private long lastMarkWritten = PartitionTime.NONE;

    EventGateProcessor(Wiring wiring, EventAccess<V> access, DedupRule dedup, LatenessRule lateness,
                       ProgressRules progress, Duration reportInterval, ProcessorMetrics metrics) {
        this.wiring = wiring;
        this.access = access;
        this.dedup = dedup;
        this.lateness = lateness;
        this.progress = progress;
        this.reportInterval = reportInterval;
        this.metrics = metrics;
        this.meters = metrics.topic(wiring.inputTopic());
        this.late = new LateRoute(SOURCE, wiring.lateSink(), "event", meters.late);
        this.progressReader = new ProgressReader(meters.progressMarks, meters.progressInvalid);
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.ids = context.getStateStore(wiring.idsStore());
        this.time = TaskStreamTime.load(context.getStateStore(wiring.timeStore()), progress);
        this.task = context.taskId().toString();
        this.filter = loadFilter();
        this.partition = context.taskId().partition();
        this.sizes = new StoreSizeReporter(context, metrics, wiring.idsStore(), wiring.timeStore());
        context.schedule(reportInterval, PunctuationType.WALL_CLOCK_TIME, this::report);
    }

    @Override
    public void process(Record<String, V> record) {
        if (ProgressRecords.isProgress(record.headers())) {
            onProgress(record);
            return;
        }
        meters.records.increment();
        meters.rate.add(1);
        V event = record.value();
        if (event == null) {
            meters.invalid.increment();
            log.warn("Skipping record without value from {}", RecordPosition.of(context));
            return;
        }
        String eventId = access.eventId().apply(event);
        long eventTime = access.eventTimeMs().applyAsLong(event);
        if (seen(eventId, eventTime)) {
            meters.duplicates.increment();
            log.debug("Duplicate {} (event time {}) at {}: dropped", eventId, eventTime, RecordPosition.of(context));
            return;
        }
        ids.put(eventId, SEEN, eventTime);
        filter.add(eventId, eventTime);
        String key = record.key() != null ? record.key() : access.key().apply(event);
        long before = time.streamTimeMs();
        if (lateness.isLate(eventTime, before)) {
            late.divert(context, record.withKey(key), eventId, eventTime, lateness.watermarkMs(before));
            return;
        }
        long after = time.onData(eventTime);
        if (after != before) {
            forgetFilteredIds(after);
        }
        context.forward(new Record<String, Object>(key, new Routed(partition, event), record.timestamp(),
                record.headers()), wiring.cleanSink());
        if (wiring.statsChild() != null) {
            context.forward(new Record<String, Object>(key, event, record.timestamp(), record.headers()),
                    wiring.statsChild());
        }
        if (after != before) {
            tick(after);
        }
    }

    private void onProgress(Record<String, V> record) {
        ProgressMark mark = progressReader.read(context, record);
        if (mark == null) {
            return;
        }
        long before = time.streamTimeMs();
        long after = time.onMark(mark);
        if (after != before) {
            forgetFilteredIds(after);
            log.debug("Progress of {} task {}: stream time {} -> {} by {}", wiring.inputTopic(), task, before, after,
                    mark);
            tick(after);
        }
        if (after != PartitionTime.NONE && after > lastMarkWritten) {
            // after every record this task wrote to the clean partition so far, in the same transaction
            lastMarkWritten = after;
            context.forward(new Record<String, Object>(null, new Routed(partition, null), after,
                    ProgressRecords.headers(ProgressMark.streamTime(SOURCE, after))), wiring.cleanSink());
            meters.progressWritten.increment();
        }
    }

    private boolean seen(String eventId, long eventTime) {
        long from = dedup.lookupFromMs(eventTime);
        long to = dedup.lookupToMs(eventTime);
        if (!filter.mightContain(eventId, from, to)) {
            return false;
        }
        meters.dedupStoreLookups.increment();
        try (WindowStoreIterator<byte[]> it = ids.fetch(eventId, from, to)) {
            while (it.hasNext()) {
                KeyValue<Long, byte[]> first = it.next();
                if (dedup.isDuplicate(first.key, eventTime)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Every id of the store, by its first-seen time: one scan per task start. */
    private RecentIdFilter loadFilter() {
        long started = System.nanoTime();
        RecentIdFilter loaded = RecentIdFilter.forRule(dedup);
        long count = 0;
        try (KeyValueIterator<Windowed<String>, byte[]> it = ids.all()) {
            while (it.hasNext()) {
                Windowed<String> id = it.next().key;
                loaded.add(id.key(), id.window().start());
                count++;
            }
        }
        forgetFilteredIds(loaded, time.streamTimeMs());
        log.info("Dedup filter of {} task {}: {} ids from {} in {} ms ({} KiB)", wiring.inputTopic(), task, count,
                wiring.idsStore(), (System.nanoTime() - started) / 1_000_000, loaded.sizeBytes() / 1024);
        return loaded;
    }

    private void forgetFilteredIds(long streamTimeMs) {
        forgetFilteredIds(filter, streamTimeMs);
    }

    /**
     * An event not diverted as late is at or after the lateness watermark, so its lookup starts at most the retention
     * before that: older ids are only needed for late events, which then read the store.
     */
    private void forgetFilteredIds(RecentIdFilter target, long streamTimeMs) {
        long watermark = lateness.watermarkMs(streamTimeMs);
        if (watermark != Long.MIN_VALUE) {
            target.forgetBefore(dedup.lookupFromMs(watermark));
        }
    }

    private void tick(long now) {
        if (wiring.statsChild() != null) {
            context.forward(new Record<String, Object>(null, new StreamTimeTick(now), now), wiring.statsChild());
        }
    }

    /** Metrics only: never moves time. */
    private void report(long wallClockMs) {
        meters.report(task, new ProcessorMetrics.GateSnapshot(time.streamTimeMs(), time.liveSources().size()),
                filter.sizeBytes());
        sizes.maybeReport(wallClockMs);
    }

    @Override
    public void close() {
        metrics.forget(task);
    }
}

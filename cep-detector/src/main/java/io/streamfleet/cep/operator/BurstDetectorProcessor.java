package io.streamfleet.cep.operator;

import io.streamfleet.cep.burst.BurstDetection;
import io.streamfleet.cep.burst.BurstEvidence;
import io.streamfleet.cep.burst.BurstPattern;
import io.streamfleet.cep.burst.TrackedOrder;
import io.streamfleet.cep.engine.compile.CompiledPattern;
import io.streamfleet.cep.engine.pattern.Match;
import io.streamfleet.cep.engine.runtime.Advance;
import io.streamfleet.cep.engine.runtime.KeyState;
import io.streamfleet.cep.engine.runtime.Matcher;
import io.streamfleet.cep.operator.StateCodec.StoredState;
import io.streamfleet.contracts.alert.AnomalyAlert;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.evidence.AlertEvidence;
import io.streamfleet.contracts.progress.ProgressMark;
import io.streamfleet.contracts.progress.ProgressRecords;
import io.streamfleet.contracts.topic.Headers;
import io.streamfleet.support.processor.LateRoute;
import io.streamfleet.support.processor.ProgressReader;
import io.streamfleet.support.processor.RecordPosition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The thin Kafka Streams operator around the pattern engine. Time comes only from the input log
 * (docs/event-time.md): stream time is the partition's time, moved by order event times and by the
 * {@code stream-time} marks stream-processor writes into {@code orders.clean}; the watermark W = stream time −
 * lateness.
 *
 * <p>Per data record ({@link #process}):
 * <ol>
 *   <li>An order behind {@code max(drained watermark, stream time − lateness)} is late: it goes to the late sink with
 *   that watermark in a header, is counted and logged, and touches no state.</li>
 *   <li>Otherwise it is appended to the buffer ({@link OrderBuffer}: chunks of orders per event-time bucket, one
 *   store write per commit and chunk through the record cache) and stream time advances. A repeated (time, key,
 *   eventId) is dropped when drained, the first arrival kept, so a duplicated event changes nothing.</li>
 *   <li>If that moved W at least {@code punctuationInterval} past the last evaluated watermark, evaluate (below).</li>
 * </ol>
 * Per progress record: the mark goes into the partition time; if W moved, evaluate at once. A malformed mark is
 * logged with its position, counted and skipped. Progress records are never buffered, diverted or emitted.
 * {@link TaskTime} keeps the partition time and the drained watermark and decides when to evaluate.
 *
 * <p>Evaluation up to W ({@link #advanceTo}):
 * <ol>
 *   <li>Drain: scan the buffer (it is time-ordered) from the bucket of the last drained watermark up to W, take the
 *   orders between the two, group them by key ({@link DrainedOrders}).</li>
 *   <li>Collect keys whose next wake-up (a candidate deadline, or expiry) is at or before W from the in-memory
 *   wake-up index ({@link WakeUpIndex}), which {@link #init} rebuilds from the wake-up every key state stores.</li>
 *   <li>For each such key: take its state ({@link KeyStates}, in memory), feed the drained events in (time, id) order,
 *   advance the matcher to W, emit an alert per match — {@code detectedAtMs} and record timestamp = stream time now,
 *   header: ingestion time of the match's last event — and write the state back only if it changed, deleting it when
 *   empty, which keeps state within T1 + T2 + lateness. The stored state refers to its events in the buffer rather
 *   than copying them.</li>
 *   <li>Expire the buffer's chunks that lie wholly more than the matcher's retention behind W: no key state can
 *   refer to them any more ({@link io.streamfleet.cep.engine.runtime.Matcher#retentionMs()}).</li>
 *   <li>Persist W and the tallies in the meta store, beside the partition time.</li>
 * </ol>
 * Evaluation points, stream time and W are all functions of the log, and everything is written in the same
 * exactly-once transaction as the alerts and the input offsets: a restart resumes with the exact state the crashed
 * run had at the committed offset, so the alerts (ids, fields, detection times) are the same. A drained event can
 * never be accepted again, an alert never re-emitted. The wall-clock punctuation only reports metrics.
 *
 * <p>The drain's scan starts at the last drained watermark (a seek past the drained front): below it the buffer holds
 * nothing to drain — an order is accepted only at or after it — and the watermark is committed in cep-meta with the
 * drain, so a restart resumes from the same bound. The expiry's scan starts where the last one stopped (the previous
 * watermark minus the retention), past its tombstones. A key's next wake-up after advancing to W is past W, and it is
 * stored in the same key-state put as the state it belongs to, so the index rebuilt from the committed key states
 * after a restart holds exactly the wake-ups the crashed run had at the committed offset.
 */
public final class BurstDetectorProcessor implements Processor<String, OrderEvent, String, Object> {

    private static final Logger log = LoggerFactory.getLogger(BurstDetectorProcessor.class);
    private static final String STAGE = "cep-detector";
    static final Duration REPORT_INTERVAL = Duration.ofSeconds(1);
    static final String KEYS = "keys";
    static final String RETAINED = "retained";
    static final String PENDING = "pending";
    static final String BUFFER_SINCE = "buffer-since";

    private final BurstPattern burst;
    private final Matcher<TrackedOrder> matcher;
    private final CepMetrics metrics;
    private final String alertSink;
    private final LateRoute late;
    private final ProgressReader progress;
    private final String evidenceSink;
    private final BurstEvidence evidence;
    private final long latenessMs;
    private final long intervalMs;
    private ProcessorContext<String, Object> context;
    private CepStores.Handles stores;
    private OrderBuffer buffer;
    private TaskTime time;
    private String task;
    private long awaiting;
    private final long[] tally = new long[3];
    private final long[] savedTally = new long[3];
    private final long retentionMs;
    /** Every key's matcher state, in memory and in {@code cep-key-state} ({@link KeyStates}). */
    private KeyStates keyStates;
    /**
     * The buffer has kept every accepted order from this event time on since this layout first ran on the task's
     * stores ({@value #BUFFER_SINCE} in {@code cep-meta}, written once): the drained watermark it found, because the
     * version before deleted orders as they were drained; {@link Long#MIN_VALUE} for stores that started empty. Below
     * {@link #heldFrom} orders are deleted, so the buffer is complete from the larger of the two.
     */
    private long bufferSince;
    private boolean bufferSinceStored;
    /**
     * Keys to evaluate without new events, by wake-up watermark: in memory, rebuilt in {@link #init} from the
     * committed key states, each of which stores its wake-up (see {@link WakeUpIndex}). Changed only together with a
     * key-state put that stores the new wake-up (or the delete of a state without one).
     */
    private final WakeUpIndex wakeUps = new WakeUpIndex();

    public BurstDetectorProcessor(DetectorSettings settings, CepMetrics metrics, String alertSink, String lateSink) {
        this(settings, metrics, alertSink, lateSink, null, BurstEvidence.MIN_ORDERS);
    }

    /**
     * @param evidenceSink where each alert's matched orders go (same transaction as the alert), or null for none
     * @param maxEvidenceOrders cap on the orders kept per alert
     */
    public BurstDetectorProcessor(DetectorSettings settings, CepMetrics metrics, String alertSink, String lateSink,
                                  String evidenceSink, int maxEvidenceOrders) {
        this.burst = new BurstPattern(settings.burst());
        this.evidenceSink = evidenceSink;
        this.evidence = new BurstEvidence(settings.burst(), maxEvidenceOrders);
        this.matcher = new Matcher<>(CompiledPattern.compile(burst.pattern()));
        this.metrics = metrics;
        this.alertSink = alertSink;
        this.late = new LateRoute(STAGE, lateSink, "order", metrics.late());
        this.progress = new ProgressReader(metrics.progressMarks(), metrics.progressInvalid());
        this.latenessMs = settings.burst().lateness().toMillis();
        this.intervalMs = settings.punctuationInterval().toMillis();
        this.retentionMs = matcher.retentionMs();
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.stores = new CepStores.Handles(context.getStateStore(CepStores.BUFFER),
                context.getStateStore(CepStores.KEY_STATE), context.getStateStore(CepStores.META));
        this.task = context.taskId().toString();
        this.time = new TaskTime(stores.meta(), latenessMs, intervalMs);
        this.buffer = new OrderBuffer(stores.buffer(), recordCache(context) ? OrderBuffer.CHUNK_BYTES : 0);
        Long since = stores.meta().get(BUFFER_SINCE);
        this.bufferSinceStored = since != null;
        // a store without it was written by the version that deleted orders as they were drained: complete from W
        this.bufferSince = since != null ? since : time.watermarkMs();
        OrderBuffer.Opened opened = buffer.open(time.watermarkMs(), completeFrom(time.watermarkMs()));
        this.awaiting = opened.awaiting();
        this.keyStates = new KeyStates(stores.keyState(), matcher);
        int referring = keyStates.load(opened.retained(), wakeUps);
        tally[0] = meta(KEYS, 0);
        tally[1] = meta(RETAINED, 0);
        tally[2] = meta(PENDING, 0);
        System.arraycopy(tally, 0, savedTally, 0, tally.length);
        log.info("Task {} resumes at drained watermark {}, stream time {}, {} orders awaiting a drain, {} keys to wake,"
                        + " {} key states rebuilt from {} drained orders held since {}", task, time.watermarkMs(),
                time.streamTimeMs(), awaiting, wakeUps.size(), referring, opened.retained().size(),
                completeFrom(time.watermarkMs()));
        context.schedule(REPORT_INTERVAL, PunctuationType.WALL_CLOCK_TIME, wallClock -> report());
    }

    @Override
    public void process(Record<String, OrderEvent> record) {
        if (ProgressRecords.isProgress(record.headers())) {
            onProgress(record);
            return;
        }
        OrderEvent event = record.value();
        if (event == null || record.key() == null) {
            metrics.invalid();
            log.warn("Skipping order without key or value at {}", RecordPosition.of(context));
            return;
        }
        long lateBound = time.lateBoundMs();
        if (event.eventTimeMs() < lateBound) {
            late.divert(context, record, event.eventId(), event.eventTimeMs(), lateBound);
            return;
        }
        long ingestedAt = Headers.lastLong(record.headers(), Headers.INGESTED_AT_MS, TrackedOrder.UNKNOWN_INGESTION);
        // a repeated (time, key, event id) is dropped at the drain, where the first arrival is kept
        buffer.add(event.eventTimeMs(), record.key(), StateCodec.encodeOrder(new TrackedOrder(event, ingestedAt)));
        awaiting++;
        metrics.buffered();
        long next = time.onData(event.eventTimeMs());
        if (next != TaskTime.NO_EVALUATION) {
            advanceTo(next);
        }
    }

    private void onProgress(Record<String, OrderEvent> record) {
        ProgressMark mark = progress.read(context, record);
        if (mark == null) {
            return;
        }
        long next = time.onMark(mark);
        if (next != TaskTime.NO_EVALUATION) {
            log.debug("Task {}: {} moves the watermark {} -> {}", task, mark, time.watermarkMs(), next);
            advanceTo(next);
        }
    }

    /** Drains up to {@code next} and evaluates; see the class comment. */
    private void advanceTo(long next) {
        long started = System.nanoTime();
        Map<String, List<TrackedOrder>> work = drain(next);
        collectWakeUps(next, work);
        long completeFrom = completeFrom(time.watermarkMs());
        long newCompleteFrom = completeFrom(next);
        for (Map.Entry<String, List<TrackedOrder>> entry : work.entrySet()) {
            evaluate(entry.getKey(), entry.getValue(), next, newCompleteFrom);
        }
        time.evaluated(next);
        if (newCompleteFrom > completeFrom) {
            metrics.bufferExpired(buffer.expire(completeFrom, newCompleteFrom));
        }
        if (!bufferSinceStored) {
            stores.meta().put(BUFFER_SINCE, bufferSince);
            bufferSinceStored = true;
        }
        saveTally(KEYS, 0);
        saveTally(RETAINED, 1);
        saveTally(PENDING, 2);
        metrics.evaluationNanos(System.nanoTime() - started);
        report();
    }

    private void saveTally(String name, int index) {
        if (tally[index] != savedTally[index]) {
            stores.meta().put(name, tally[index]);
            savedTally[index] = tally[index];
        }
    }

    /**
     * Where the buffer must still be complete once the watermark is at {@code watermarkMs}: no key state reaches back
     * further ({@link io.streamfleet.cep.engine.runtime.Matcher#retentionMs()}; every key is evaluated once the
     * watermark reaches its wake-up).
     */
    private long heldFrom(long watermarkMs) {
        return watermarkMs < Long.MIN_VALUE + retentionMs ? Long.MIN_VALUE : watermarkMs - retentionMs;
    }

    /** Where the buffer holds every accepted order once drained to {@code watermarkMs} (and expired below that). */
    private long completeFrom(long watermarkMs) {
        return Math.max(bufferSince, heldFrom(watermarkMs));
    }

    private Map<String, List<TrackedOrder>> drain(long upTo) {
        List<OrderBuffer.Taken> drained = buffer.take(time.watermarkMs(), upTo);
        awaiting = Math.max(0, awaiting - drained.size());
        return DrainedOrders.byKey(drained, metrics::duplicate);
    }

    /** Whether the buffer store's record cache is on: {@code statestore.cache.max.bytes} above 0 (Kafka's default). */
    private static boolean recordCache(ProcessorContext<?, ?> context) {
        Object bytes = context.appConfigs().get(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG);
        return bytes == null || Long.parseLong(bytes.toString().trim()) > 0;
    }

    private void collectWakeUps(long upTo, Map<String, List<TrackedOrder>> work) {
        for (String key : wakeUps.takeDue(upTo)) {
            work.computeIfAbsent(key, k -> List.of());
        }
    }

    /** {@code bufferHoldsFrom}: where the buffer is still complete after this evaluation (see {@link KeyStates}). */
    private void evaluate(String key, List<TrackedOrder> events, long upTo, long bufferHoldsFrom) {
        StoredState previous = keyStates.get(key);
        KeyState<TrackedOrder> state = previous == null ? KeyState.empty() : previous.state();
        long oldWake = previous == null ? Long.MAX_VALUE : previous.wakeAt();
        int oldSize = state.size();
        // the count the last evaluation of this key left (the state has not changed since), else a scan of it
        int oldPending = previous != null && previous.pending() != StoredState.UNCOUNTED ? previous.pending()
                : matcher.pendingCandidates(state);
        for (TrackedOrder event : events) {
            matcher.process(state, event);
        }
        Advance<TrackedOrder> advance = matcher.advanceTime(state, upTo);
        for (Match<TrackedOrder> match : advance.matches()) {
            emit(key, burst.describe(match), match);
        }
        long newWake = matcher.nextWakeUp(state);
        boolean indexed = oldWake > upTo && oldWake != Long.MAX_VALUE;
        if (indexed && oldWake != newWake) {
            wakeUps.remove(oldWake, key);
        }
        if (newWake != Long.MAX_VALUE && (!indexed || oldWake != newWake)) {
            wakeUps.add(newWake, key);
        }
        int newPending = matcher.pendingCandidates(state);
        if (state.isEmpty()) {
            if (previous != null) {
                keyStates.delete(key);
                tally[0]--;
            }
        } else if (state.changed() || oldWake != newWake) {
            metrics.keyStateWritten(keyStates.write(key, new StoredState(state, newWake, newPending), bufferHoldsFrom));
            state.markClean();
            if (previous == null) {
                tally[0]++;
            }
        } else if (previous != null && previous.pending() != newPending) {
            keyStates.keep(key, new StoredState(state, newWake, newPending));
        }
        tally[1] += state.size() - oldSize;
        tally[2] += newPending - oldPending;
    }

    private void emit(String key, BurstDetection detection, Match<TrackedOrder> match) {
        long detectedAt = time.streamTimeMs();
        AnomalyAlert alert = detection.toAlert(detectedAt);
        RecordHeaders headers = new RecordHeaders();
        if (detection.lastIngestedAtMs() != TrackedOrder.UNKNOWN_INGESTION) {
            headers.add(Headers.INGESTED_AT_MS, Headers.encodeLong(detection.lastIngestedAtMs()));
        }
        context.forward(new Record<String, Object>(key, alert, detectedAt, headers), alertSink);
        metrics.alert();
        if (evidenceSink != null) {
            AlertEvidence matched = evidence.of(alert.alertId(), match);
            context.forward(new Record<String, Object>(key, matched, detectedAt, headers), evidenceSink);
            metrics.evidence(matched.orders().size(), matched.truncated());
        }
        log.info("Alert {} at stream time {}: {}", alert.alertId(), detectedAt, alert.note());
    }

    private long meta(String name, long fallback) {
        Long value = stores.meta().get(name);
        return value == null ? fallback : value;
    }

    /** Metrics only: never moves time or evaluates. */
    private void report() {
        metrics.report(task, new CepMetrics.TaskSnapshot(tally[0], tally[1], awaiting, tally[2], time.watermarkMs(),
                time.streamTimeMs()));
    }

    /** The in-memory wake-up index, for tests. */
    WakeUpIndex wakeUpIndex() {
        return wakeUps;
    }

    @Override
    public void close() {
        if (keyStates != null) {
            keyStates.clear();
        }
        metrics.forget(task);
    }
}

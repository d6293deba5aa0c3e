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
import io.streamfleet.cep.engine.runtime.ProcessOutcome;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 *   orders between the two, group them by key, delete the chunks W has passed entirely.</li>
 *   <li>Collect keys whose next wake-up (a candidate deadline, or expiry) is at or before W from the in-memory
 *   wake-up index ({@link WakeUpIndex}), which {@link #init} rebuilds from the wake-up every key state stores.</li>
 *   <li>For each such key: read its state, feed the drained events in (time, id) order, advance the matcher to W,
 *   emit an alert per match — {@code detectedAtMs} and record timestamp = stream time now, header: ingestion time of
 *   the match's last event — and write the state back only if it changed, deleting it when empty, which keeps state
 *   within T1 + T2 + lateness.</li>
 *   <li>Persist W and the tallies in the meta store, beside the partition time.</li>
 * </ol>
 * Evaluation points, stream time and W are all functions of the log, and everything is written in the same
 * exactly-once transaction as the alerts and the input offsets: a restart resumes with the exact state the crashed
 * run had at the committed offset, so the alerts (ids, fields, detection times) are the same. A drained event can
 * never be accepted again, an alert never re-emitted. The wall-clock punctuation only reports metrics.
 *
 * <p>The buffer scan starts at the last drained watermark (a seek past the drained front): below it the buffer holds nothing
 * live — an order is accepted only at or after it — and the watermark is committed in cep-meta with the deletes, so a
 * restart resumes from the same bound. A key's next wake-up after advancing to W is past W, and it is stored in the
 * same key-state put as the state it belongs to, so the index rebuilt from the committed key states after a restart
 * holds exactly the wake-ups the crashed run had at the committed offset.
 */
public final class BurstDetectorProcessor implements Processor<String, OrderEvent, String, Object> {

    private static final Logger log = LoggerFactory.getLogger(BurstDetectorProcessor.class);
    private static final String STAGE = "cep-detector";
    static final Duration REPORT_INTERVAL = Duration.ofSeconds(1);
    static final String KEYS = "keys";
    static final String RETAINED = "retained";
    static final String PENDING = "pending";

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
    /**
     * Write-through view of {@code cep-key-state}: the decoded state of every key this processor read or wrote since
     * {@link #init}, so an evaluation neither reads nor decodes a key it already holds. The store stays the only
     * state: every change is still put (and changelogged) as before, an entry goes when the store's goes, and the map
     * is cleared in {@code init} and {@code close}. Kafka Streams discards uncommitted store writes only by closing the
     * task (dirty close after an aborted transaction, migration, crash) and initialising its processors again, so the
     * map never holds a write the store no longer has. Bounded like the store: only keys with state.
     */
    private final Map<String, StoredState> keyStates = new HashMap<>();
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
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        keyStates.clear();
        this.stores = new CepStores.Handles(context.getStateStore(CepStores.BUFFER),
                context.getStateStore(CepStores.KEY_STATE), context.getStateStore(CepStores.META));
        this.task = context.taskId().toString();
        this.time = new TaskTime(stores.meta(), latenessMs, intervalMs);
        this.buffer = new OrderBuffer(stores.buffer(), recordCache(context) ? OrderBuffer.CHUNK_BYTES : 0);
        this.awaiting = buffer.open(time.watermarkMs());
        int waking = wakeUps.rebuild(stores.keyState());
        tally[0] = meta(KEYS, 0);
        tally[1] = meta(RETAINED, 0);
        tally[2] = meta(PENDING, 0);
        System.arraycopy(tally, 0, savedTally, 0, tally.length);
        log.info("Task {} resumes at drained watermark {}, stream time {}, {} orders buffered, {} keys to wake", task,
                time.watermarkMs(), time.streamTimeMs(), awaiting, waking);
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
        Map<String, List<Drained>> work = drain(next);
        collectWakeUps(next, work);
        for (Map.Entry<String, List<Drained>> entry : work.entrySet()) {
            evaluate(entry.getKey(), entry.getValue(), next);
        }
        time.evaluated(next);
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
     * An order taken off the buffer, with its stored bytes (the same layout the key state keeps its events in);
     * legacy if it was buffered alone by the layout before chunks.
     */
    private record Drained(TrackedOrder order, byte[] bytes, boolean legacy) {
    }

    /** (time, id), then an order of the older layout first: it arrived before any chunk of its bucket. */
    private static final Comparator<Drained> DRAIN_ORDER = (a, b) -> {
        int byOrder = TrackedOrder.ORDER.compare(a.order(), b.order());
        return byOrder != 0 ? byOrder : Boolean.compare(!a.legacy(), !b.legacy());
    };

    private Map<String, List<Drained>> drain(long upTo) {
        Map<String, List<Drained>> byKey = new LinkedHashMap<>();
        List<OrderBuffer.Taken> drained = buffer.take(time.watermarkMs(), upTo);
        for (OrderBuffer.Taken taken : drained) {
            byKey.computeIfAbsent(taken.key(), k -> new ArrayList<>())
                    .add(new Drained(StateCodec.decodeOrder(taken.order()), taken.order(), taken.legacy()));
        }
        awaiting = Math.max(0, awaiting - drained.size());
        for (List<Drained> events : byKey.values()) {
            // stable: equal (time, id) stay in arrival order, and the first arrival is kept
            events.sort(DRAIN_ORDER);
            dropRepeats(events);
        }
        return byKey;
    }

    /** Drops each order whose (time, id) equals the one before it in a sorted list: a duplicate of the input. */
    private void dropRepeats(List<Drained> events) {
        int kept = 0;
        for (int i = 0; i < events.size(); i++) {
            Drained event = events.get(i);
            if (kept > 0 && TrackedOrder.ORDER.compare(events.get(kept - 1).order(), event.order()) == 0) {
                metrics.duplicate();
                continue;
            }
            events.set(kept++, event);
        }
        events.subList(kept, events.size()).clear();
    }

    /** Whether the buffer store's record cache is on: {@code statestore.cache.max.bytes} above 0 (Kafka's default). */
    private static boolean recordCache(ProcessorContext<?, ?> context) {
        Object bytes = context.appConfigs().get(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG);
        return bytes == null || Long.parseLong(bytes.toString().trim()) > 0;
    }

    private void collectWakeUps(long upTo, Map<String, List<Drained>> work) {
        for (String key : wakeUps.takeDue(upTo)) {
            work.computeIfAbsent(key, k -> new ArrayList<>());
        }
    }

    private void evaluate(String key, List<Drained> events, long upTo) {
        StoredState previous = keyStates.get(key);
        if (previous == null) {
            byte[] stored = stores.keyState().get(key);
            previous = stored == null ? null : StateCodec.decodeState(stored);
        }
        KeyState<TrackedOrder> state = previous == null ? KeyState.empty() : previous.state();
        EventForms forms = previous == null ? EventForms.empty() : previous.forms();
        long oldWake = previous == null ? Long.MAX_VALUE : previous.wakeAt();
        int oldSize = state.size();
        // the count the last evaluation of this key left (the state has not changed since), else a scan of it
        int oldPending = previous != null && previous.pending() != StoredState.UNCOUNTED ? previous.pending()
                : matcher.pendingCandidates(state);
        for (Drained event : events) {
            if (matcher.process(state, event.order()) == ProcessOutcome.RETAINED) {
                forms.add(event.bytes());
            }
        }
        Advance<TrackedOrder> advance = matcher.advanceTime(state, upTo);
        // the matcher only appends events and drops them from the front: the stored forms follow the same way
        forms.dropFirst(forms.size() - state.size());
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
            keyStates.remove(key);
            if (previous != null) {
                stores.keyState().put(key, null); // delete without the read
                tally[0]--;
            }
        } else if (state.changed() || oldWake != newWake) {
            stores.keyState().put(key, StateCodec.encodeState(state, newWake, forms));
            state.markClean();
            keyStates.put(key, new StoredState(state, newWake, forms, newPending));
            if (previous == null) {
                tally[0]++;
            }
        } else if (previous != null) {
            keyStates.put(key, previous.pending() == newPending ? previous
                    : new StoredState(state, newWake, forms, newPending));
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
        keyStates.clear();
        metrics.forget(task);
    }
}

package io.streamfleet.cep.operator;

import io.streamfleet.cep.burst.BurstDetection;
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
import io.streamfleet.contracts.topic.Headers;
import io.streamfleet.support.time.BacklogProbe;
import io.streamfleet.support.time.IdleClock;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The thin Kafka Streams operator around the pattern engine (SPEC §5).
 *
 * <p>Per record ({@link #process}):
 * <ol>
 *   <li>An event behind the watermark ({@code max(drained watermark, stream time − lateness)}) is late: it goes to
 *   the late sink with the watermark in a header, is counted and logged, and touches no state.</li>
 *   <li>Otherwise it is buffered once under (time, key, eventId) — a redelivered or duplicated event overwrites
 *   nothing — and stream time advances. No matching happens per record.</li>
 * </ol>
 * Per punctuation ({@link #punctuate}, fired by wall clock and by stream time):
 * <ol>
 *   <li>Watermark W = stream time − lateness, where stream time includes the idle advance of {@link IdleClock}
 *   (last record's stream time + wall time since it, once idle for the timeout) unless the {@link BacklogProbe}
 *   says the partition still has unread records (catch-up is not idleness). W never goes back.</li>
 *   <li>Drain: scan the buffer from its start (it is time-ordered) up to W, group by key, delete what was read.</li>
 *   <li>Collect keys whose next wake-up (a candidate deadline, or expiry) is at or before W.</li>
 *   <li>For each such key: read its state, feed the drained events in (time, id) order, advance the matcher to W,
 *   emit an alert per match (header: ingestion time of the match's last event), and write the state back only if
 *   it changed — deleting it when empty, which keeps state within T1 + T2 + lateness.</li>
 *   <li>Persist W and the tallies in the meta store (same transaction as everything else under exactly-once, so a
 *   restart resumes from a consistent W: a drained event can never be accepted again, an alert never re-emitted).</li>
 * </ol>
 */
public final class BurstDetectorProcessor implements Processor<String, OrderEvent, String, Object> {

    private static final Logger log = LoggerFactory.getLogger(BurstDetectorProcessor.class);
    private static final byte[] PRESENT = new byte[0];
    static final String WATERMARK = "watermark";
    static final String KEYS = "keys";
    static final String RETAINED = "retained";
    static final String PENDING = "pending";

    private final DetectorSettings settings;
    private final BurstPattern burst;
    private final Matcher<TrackedOrder> matcher;
    private final CepMetrics metrics;
    private final BacklogProbe backlog;
    private final String inputTopic;
    private final String alertSink;
    private final String lateSink;
    private final long latenessMs;
    private ProcessorContext<String, Object> context;
    private CepStores.Handles stores;
    private IdleClock clock;
    private String task;
    private long watermark;
    private long awaiting;
    private long lastOffset = BacklogProbe.NOTHING_PROCESSED;
    private final long[] tally = new long[3];

    public BurstDetectorProcessor(DetectorSettings settings, CepMetrics metrics, String alertSink, String lateSink) {
        this(settings, metrics, BacklogProbe.none(), "", alertSink, lateSink);
    }

    public BurstDetectorProcessor(DetectorSettings settings, CepMetrics metrics, BacklogProbe backlog,
                                  String inputTopic, String alertSink, String lateSink) {
        this.settings = settings;
        this.backlog = backlog;
        this.inputTopic = inputTopic;
        this.burst = new BurstPattern(settings.burst());
        this.matcher = new Matcher<>(CompiledPattern.compile(burst.pattern()));
        this.metrics = metrics;
        this.alertSink = alertSink;
        this.lateSink = lateSink;
        this.latenessMs = settings.burst().lateness().toMillis();
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.stores = new CepStores.Handles(context.getStateStore(CepStores.BUFFER),
                context.getStateStore(CepStores.KEY_STATE), context.getStateStore(CepStores.WAKE_UPS),
                context.getStateStore(CepStores.META));
        this.task = context.taskId().toString();
        this.clock = new IdleClock(settings.idleTimeout().toMillis());
        this.watermark = meta(WATERMARK, Long.MIN_VALUE);
        this.awaiting = stores.buffer().approximateNumEntries();
        this.lastOffset = backlog.fetchedOffset(inputTopic, context.taskId().partition());
        tally[0] = meta(KEYS, 0);
        tally[1] = meta(RETAINED, 0);
        tally[2] = meta(PENDING, 0);
        long interval = settings.punctuationInterval().toMillis();
        context.schedule(settings.punctuationInterval(), PunctuationType.WALL_CLOCK_TIME, now -> punctuate());
        context.schedule(java.time.Duration.ofMillis(interval), PunctuationType.STREAM_TIME, streamTime -> punctuate());
    }

    @Override
    public void process(Record<String, OrderEvent> record) {
        context.recordMetadata().ifPresent(m -> lastOffset = m.offset());
        OrderEvent event = record.value();
        if (event == null || record.key() == null) {
            metrics.invalid();
            log.warn("Skipping order without key or value at {}", position());
            return;
        }
        long lateBound = lateWatermark();
        if (event.eventTimeMs() < lateBound) {
            metrics.late();
            log.info("Late order {} of {} (event time {} < watermark {}) at {}: sent to the late topic",
                    event.eventId(), record.key(), event.eventTimeMs(), lateBound, position());
            RecordHeaders headers = new RecordHeaders(record.headers().toArray());
            headers.add(Headers.LATE_AT_STAGE, "cep-detector".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            headers.add(Headers.LATE_WATERMARK_MS, Headers.encodeLong(lateBound));
            context.forward(new Record<String, Object>(record.key(), event, record.timestamp(), headers), lateSink);
            return;
        }
        clock.onRecord(event.eventTimeMs(), context.currentSystemTimeMs());
        long ingestedAt = Headers.lastLong(record.headers(), Headers.INGESTED_AT_MS, TrackedOrder.UNKNOWN_INGESTION);
        Bytes key = Bytes.wrap(StateCodec.bufferKey(event.eventTimeMs(), record.key(), event.eventId()));
        byte[] previous = stores.buffer().putIfAbsent(key, StateCodec.encodeOrder(new TrackedOrder(event, ingestedAt)));
        if (previous == null) {
            awaiting++;
            metrics.buffered();
        } else {
            metrics.duplicate();
        }
    }

    /** Drains up to the watermark and evaluates; see the class comment. */
    void punctuate() {
        long now = context.currentSystemTimeMs();
        if (clock.isEmpty() && watermark != Long.MIN_VALUE) {
            clock.restore(watermark + latenessMs, now);
        }
        boolean catchingUp = backlog.hasBacklog(inputTopic, context.taskId().partition(), lastOffset);
        long streamTime = catchingUp ? clock.observedStreamTimeMs() : clock.streamTimeMs(now);
        long next = streamTime == Long.MIN_VALUE ? watermark : Math.max(watermark, streamTime - latenessMs);
        if (next == watermark) {
            report();
            return;
        }
        long started = System.nanoTime();
        Map<String, List<TrackedOrder>> work = drain(next);
        collectWakeUps(next, work);
        for (Map.Entry<String, List<TrackedOrder>> entry : work.entrySet()) {
            evaluate(entry.getKey(), entry.getValue(), next);
        }
        watermark = next;
        stores.meta().put(WATERMARK, next);
        stores.meta().put(KEYS, tally[0]);
        stores.meta().put(RETAINED, tally[1]);
        stores.meta().put(PENDING, tally[2]);
        metrics.evaluationNanos(System.nanoTime() - started);
        report();
    }

    private Map<String, List<TrackedOrder>> drain(long upTo) {
        Map<String, List<TrackedOrder>> byKey = new LinkedHashMap<>();
        List<Bytes> drained = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = stores.buffer().all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> entry = it.next();
                byte[] key = entry.key.get();
                if (StateCodec.bufferKeyTime(key) >= upTo) {
                    break;
                }
                byKey.computeIfAbsent(StateCodec.bufferKeyKey(key), k -> new ArrayList<>())
                        .add(StateCodec.decodeOrder(entry.value));
                drained.add(entry.key);
            }
        }
        for (Bytes key : drained) {
            stores.buffer().delete(key);
        }
        awaiting = Math.max(0, awaiting - drained.size());
        for (List<TrackedOrder> events : byKey.values()) {
            events.sort(TrackedOrder.ORDER);
        }
        return byKey;
    }

    private void collectWakeUps(long upTo, Map<String, List<TrackedOrder>> work) {
        List<Bytes> due = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = stores.wakeUps().all()) {
            while (it.hasNext()) {
                Bytes key = it.next().key;
                if (StateCodec.wakeKeyTime(key.get()) > upTo) {
                    break;
                }
                due.add(key);
                work.computeIfAbsent(StateCodec.wakeKeyKey(key.get()), k -> new ArrayList<>());
            }
        }
        for (Bytes key : due) {
            stores.wakeUps().delete(key);
        }
    }

    private void evaluate(String key, List<TrackedOrder> events, long upTo) {
        byte[] stored = stores.keyState().get(key);
        StoredState previous = stored == null ? null : StateCodec.decodeState(stored);
        KeyState<TrackedOrder> state = previous == null ? KeyState.empty() : previous.state();
        long oldWake = previous == null ? Long.MAX_VALUE : previous.wakeAt();
        int oldSize = state.size();
        int oldPending = matcher.pendingCandidates(state);
        for (TrackedOrder event : events) {
            matcher.process(state, event);
        }
        Advance<TrackedOrder> advance = matcher.advanceTime(state, upTo);
        for (Match<TrackedOrder> match : advance.matches()) {
            emit(key, burst.describe(match));
        }
        long newWake = matcher.nextWakeUp(state);
        boolean indexed = oldWake > upTo && oldWake != Long.MAX_VALUE;
        if (indexed && oldWake != newWake) {
            stores.wakeUps().delete(Bytes.wrap(StateCodec.wakeKey(oldWake, key)));
        }
        if (newWake != Long.MAX_VALUE && (!indexed || oldWake != newWake)) {
            stores.wakeUps().put(Bytes.wrap(StateCodec.wakeKey(newWake, key)), PRESENT);
        }
        if (state.isEmpty()) {
            if (previous != null) {
                stores.keyState().delete(key);
                tally[0]--;
            }
        } else if (state.changed() || oldWake != newWake) {
            stores.keyState().put(key, StateCodec.encodeState(state, newWake));
            if (previous == null) {
                tally[0]++;
            }
        }
        tally[1] += state.size() - oldSize;
        tally[2] += matcher.pendingCandidates(state) - oldPending;
    }

    private void emit(String key, BurstDetection detection) {
        long now = context.currentSystemTimeMs();
        AnomalyAlert alert = detection.toAlert(now);
        RecordHeaders headers = new RecordHeaders();
        if (detection.lastIngestedAtMs() != TrackedOrder.UNKNOWN_INGESTION) {
            headers.add(Headers.INGESTED_AT_MS, Headers.encodeLong(detection.lastIngestedAtMs()));
        }
        context.forward(new Record<String, Object>(key, alert, now, headers), alertSink);
        metrics.alert();
        log.info("Alert {}: {}", alert.alertId(), alert.note());
    }

    private long lateWatermark() {
        long observed = clock.observedStreamTimeMs();
        long fromStreamTime = observed == Long.MIN_VALUE ? Long.MIN_VALUE : observed - latenessMs;
        return Math.max(watermark, fromStreamTime);
    }

    private long meta(String name, long fallback) {
        Long value = stores.meta().get(name);
        return value == null ? fallback : value;
    }

    private void report() {
        metrics.report(task, new CepMetrics.TaskSnapshot(tally[0], tally[1], awaiting, tally[2], watermark));
    }

    private String position() {
        return context.recordMetadata()
                .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset())
                .orElse("unknown position");
    }

    @Override
    public void close() {
        if (metrics != null && task != null) {
            metrics.forget(task);
        }
    }
}

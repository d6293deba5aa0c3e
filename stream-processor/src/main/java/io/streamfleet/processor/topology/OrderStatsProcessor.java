package io.streamfleet.processor.topology;

import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.stats.OrderWindowStats;
import io.streamfleet.contracts.topic.Headers;
import io.streamfleet.processor.stats.PriceTicks;
import io.streamfleet.processor.stats.WindowAggregate;
import io.streamfleet.processor.stats.WindowSpec;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Windowed order stats per {@code accountId|symbol}, emitted once per window when it closes. Built on the Processor
 * API rather than the DSL because DSL windows only close when a record arrives; here they close on the gate's
 * {@link StreamTimeTick}s, which idle advance also produces.
 * <ul>
 *   <li>An order updates one aggregate, its tumbling window, which is folded into its hopping <em>pane</em> (the
 *   hopping family cut into non-overlapping spans of {@link WindowSpec#paneMs()}, the advance by default) when it
 *   closes: every hopping window containing the pane ends at or after the pane's end, so after every tumbling window
 *   inside the pane has closed. (When the tumbling size does not divide the pane, or its tumbling window is already
 *   closed, an order updates its pane directly.) Updating the size/advance overlapping hopping windows instead cost one
 *   changelogged get + put each (7 per order); updating tumbling window and pane, 2.</li>
 *   <li>A tick with stream time S closes every window with end ≤ S − grace, in (end, family, key) order: a hopping
 *   window is the merge of its key's panes inside it, so it exists exactly when an order fell into it, as before.
 *   Each window is emitted to the stats sink (header: latest ingestion time of its events) and copied into the
 *   queryable closed-window store; a tumbling window is then deleted, a pane only once the last hopping window
 *   containing it is closed. The closed-up-to watermark is stored, so nothing is emitted twice after a restart. A
 *   tick that passes no window end does nothing (no scan, no write): ticks come with nearly every order.</li>
 * </ul>
 */
final class OrderStatsProcessor implements Processor<String, Object, String, OrderWindowStats> {

    private static final Logger log = LoggerFactory.getLogger(OrderStatsProcessor.class);
    private static final String CLOSED_UP_TO = "closed-up-to";
    /** Where earlier versions kept the open count (written at close only, so it missed later entries): dropped. */
    private static final String LEGACY_OPEN_COUNT = "open";

    private final WindowSpec tumbling;
    private final WindowSpec hopping;
    /** Indexed by the codec's whole-window kinds: {@code TUMBLING}, {@code HOPPING}. */
    private final WindowSpec[] families;
    private final String[] closedStores;
    private final PriceTicks ticks;
    private final long graceMs;
    private final String sink;
    private final ProcessorMetrics metrics;
    private final ClosedWindowWatermarks watermarks;
    /**
     * Whether each tumbling window lies in one hopping pane (the tumbling size divides the pane length, 1 s and 10 s by
     * default): then an order updates only its tumbling window, which is folded into its pane when it closes.
     */
    private final boolean folds;
    private ProcessorContext<String, OrderWindowStats> context;
    private KeyValueStore<Bytes, byte[]> open;
    private KeyValueStore<String, Long> progress;
    private List<WindowStore<String, OrderWindowStats>> closed;
    private StoreSizeReporter sizes;
    private String task;
    private long closedUpTo;
    private long openCount;
    /**
     * The decoded aggregates this processor wrote to the open store since {@link #init}: a write-through copy, so an
     * update reads no RocksDB entry (a transactional-buffer lookup, a RocksDB get and a decode) for an aggregate it
     * already holds. The store stays the only state: every update is still put (and changelogged) as before, a deleted
     * aggregate leaves this map with it, and the map is dropped whenever Kafka Streams re-initialises the processor
     * (task start, revival after an aborted transaction), so it never outlives the store contents it mirrors. At most
     * one entry per open-store entry: bounded like the store.
     */
    private final Map<Bytes, WindowAggregate> written = new HashMap<>();

    OrderStatsProcessor(WindowSpec tumbling, WindowSpec hopping, PriceTicks ticks, long graceMs, String sink,
                        ProcessorMetrics metrics, ClosedWindowWatermarks watermarks) {
        this.tumbling = tumbling;
        this.hopping = hopping;
        this.families = new WindowSpec[] {tumbling, hopping};
        this.closedStores = new String[] {ProcessorStores.STATS_CLOSED_TUMBLING, ProcessorStores.STATS_CLOSED_HOPPING};
        this.ticks = ticks;
        this.graceMs = graceMs;
        this.sink = sink;
        this.metrics = metrics;
        this.watermarks = watermarks;
        this.folds = tumbling.advanceMs() == tumbling.sizeMs() && hopping.paneMs() % tumbling.sizeMs() == 0;
    }

    @Override
    public void init(ProcessorContext<String, OrderWindowStats> context) {
        this.context = context;
        this.open = context.getStateStore(ProcessorStores.STATS_OPEN_WINDOWS);
        this.progress = context.getStateStore(ProcessorStores.STATS_PROGRESS);
        this.closed = List.of(context.getStateStore(closedStores[0]), context.getStateStore(closedStores[1]));
        this.task = context.taskId().toString();
        this.written.clear();
        this.closedUpTo = valueOr(progress.get(CLOSED_UP_TO), Long.MIN_VALUE);
        // counted, not persisted: a stored count would miss what was created after the last close, and the open
        // store only holds open windows and panes, so one scan per task start is cheap
        this.openCount = countOpen();
        if (progress.get(LEGACY_OPEN_COUNT) != null) {
            progress.delete(LEGACY_OPEN_COUNT);
        }
        this.sizes = new StoreSizeReporter(context, metrics, ProcessorStores.STATS_OPEN_WINDOWS,
                ProcessorStores.STATS_PROGRESS, closedStores[0], closedStores[1]);
        watermarks.report(task, closedUpTo);
        metrics.reportOpenWindows(task, openCount);
    }

    @Override
    public void process(Record<String, Object> record) {
        if (record.value() instanceof OrderEvent order) {
            aggregate(record.key(), order, Headers.lastLong(record.headers(), Headers.INGESTED_AT_MS,
                    WindowAggregate.NO_INGESTION));
        } else if (record.value() instanceof StreamTimeTick tick) {
            close(tick.streamTimeMs() - graceMs);
            sizes.maybeReport(context.currentSystemTimeMs());
        }
    }

    private void aggregate(String key, OrderEvent order, long ingestedAt) {
        // the price in decimal once per order (Double.toString is the costly part), not once per use
        BigDecimal price = BigDecimal.valueOf(order.price());
        long level = ticks.levelOf(price);
        BigDecimal notional = price.multiply(BigDecimal.valueOf(order.qty()));
        long time = order.eventTimeMs();
        boolean tumblingOpen = false;
        for (long start : tumbling.startsFor(time)) {
            long end = tumbling.endOf(start);
            if (stillOpen(tumbling, end, order, key)) {
                tumblingOpen = true;
                update(OpenWindowCodec.key(end, folds ? OpenWindowCodec.FOLDING_TUMBLING : OpenWindowCodec.TUMBLING,
                        key), order, level, notional, ingestedAt);
            }
        }
        boolean paneNeeded = false;
        for (long start : hopping.startsFor(time)) {
            // each closed window is counted as before; the pane serves the windows still open
            paneNeeded |= stillOpen(hopping, hopping.endOf(start), order, key);
        }
        // an open folding tumbling window brings the order into its pane when it closes, before any hopping window
        // containing the pane can close (they all end at or after the pane's end)
        if (paneNeeded && !(folds && tumblingOpen)) {
            update(OpenWindowCodec.key(hopping.paneStartOf(time), OpenWindowCodec.PANE, key), order, level, notional,
                    ingestedAt);
        }
    }

    private boolean stillOpen(WindowSpec spec, long end, OrderEvent order, String key) {
        if (end > closedUpTo) {
            return true;
        }
        metrics.statsSkipped();
        log.warn("Order {} of {} falls in {} window ending {} that is already closed (up to {})",
                order.eventId(), key, spec.name(), end, closedUpTo);
        return false;
    }

    private void update(Bytes storeKey, OrderEvent order, long level, BigDecimal notional, long ingestedAt) {
        WindowAggregate current = written.get(storeKey);
        if (current == null) {
            byte[] stored = open.get(storeKey);
            if (stored == null) {
                current = WindowAggregate.empty();
                openCount++;
            } else {
                current = OpenWindowCodec.decode(stored);
            }
        }
        WindowAggregate next = current.add(order, level, notional, ingestedAt);
        open.put(storeKey, OpenWindowCodec.encode(next));
        written.put(storeKey, next);
    }

    private void close(long watermark) {
        if (watermark <= closedUpTo || watermark < nextEndAfterClosed()) {
            // no window ends in (closedUpTo, watermark]: skip the range scan and progress writes (most ticks)
            return;
        }
        boolean first = closedUpTo == Long.MIN_VALUE;
        boolean hoppingDue = first || hopping.nextEndAfter(closedUpTo) <= watermark;
        // the panes of the first due hopping window start at its start, before closedUpTo; no pane lies earlier
        long from = first ? Long.MIN_VALUE
                : hoppingDue ? hopping.nextEndAfter(closedUpTo) - hopping.sizeMs() : closedUpTo + 1;
        // keyed (end, family, key) like the whole windows of the store, so iteration order is emission order
        TreeMap<Bytes, WindowAggregate> due = new TreeMap<>();
        List<Bytes> spent = new ArrayList<>();
        // panes of due hopping windows, as stored, and what closing folding tumbling windows add to their panes
        Map<Bytes, WindowAggregate> panes = new LinkedHashMap<>();
        Map<Bytes, WindowAggregate> folded = new HashMap<>();
        try (KeyValueIterator<Bytes, byte[]> it = open.range(OpenWindowCodec.lowerBound(from),
                OpenWindowCodec.upperBound(watermark))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> entry = it.next();
                long time = OpenWindowCodec.end(entry.key);
                int family = OpenWindowCodec.family(entry.key);
                if (family == OpenWindowCodec.PANE) {
                    if (hoppingDue && time < watermark) {
                        panes.put(entry.key, OpenWindowCodec.decode(entry.value));
                    }
                    continue;
                }
                // a whole window; every one in the store ends after closedUpTo
                WindowAggregate window = OpenWindowCodec.decode(entry.value);
                spent.add(entry.key);
                if (family == OpenWindowCodec.FOLDING_TUMBLING) {
                    due.merge(OpenWindowCodec.rekey(entry.key, time, OpenWindowCodec.TUMBLING), window,
                            WindowAggregate::merge);
                    folded.merge(OpenWindowCodec.rekey(entry.key, hopping.paneStartOf(time - tumbling.sizeMs()),
                            OpenWindowCodec.PANE), window, WindowAggregate::merge);
                } else {
                    due.merge(entry.key, window, WindowAggregate::merge);
                }
            }
        }
        Map<Bytes, WindowAggregate> paneWrites = new HashMap<>();
        for (Map.Entry<Bytes, WindowAggregate> fold : folded.entrySet()) {
            WindowAggregate stored = panes.containsKey(fold.getKey()) ? panes.get(fold.getKey())
                    : stored(fold.getKey());
            WindowAggregate pane = stored == null ? fold.getValue() : stored.merge(fold.getValue());
            if (stored == null) {
                openCount++;
            }
            panes.put(fold.getKey(), pane);
            paneWrites.put(fold.getKey(), pane);
        }
        for (Map.Entry<Bytes, WindowAggregate> pane : panes.entrySet()) {
            long start = OpenWindowCodec.end(pane.getKey());
            if (hoppingDue && start < watermark) {
                addPane(pane.getKey(), pane.getValue(), watermark, due);
            }
            if (hopping.lastEndContaining(start) <= watermark) {
                spent.add(pane.getKey());
                paneWrites.remove(pane.getKey());
            }
        }
        due.forEach(this::emit);
        for (Map.Entry<Bytes, WindowAggregate> pane : paneWrites.entrySet()) {
            open.put(pane.getKey(), OpenWindowCodec.encode(pane.getValue()));
            written.put(pane.getKey(), pane.getValue());
        }
        for (Bytes key : spent) {
            open.delete(key);
            written.remove(key);
        }
        openCount -= spent.size();
        closedUpTo = watermark;
        progress.put(CLOSED_UP_TO, closedUpTo);
        watermarks.report(task, closedUpTo);
        metrics.reportOpenWindows(task, openCount);
    }

    /** A pane as last written, or null when the store has none. */
    private WindowAggregate stored(Bytes paneKey) {
        WindowAggregate pane = written.get(paneKey);
        if (pane != null) {
            return pane;
        }
        byte[] bytes = open.get(paneKey);
        return bytes == null ? null : OpenWindowCodec.decode(bytes);
    }

    /** Merges a pane into each hopping window containing it that closes now: ends in (closedUpTo, watermark]. */
    private void addPane(Bytes paneKey, WindowAggregate pane, long watermark, Map<Bytes, WindowAggregate> due) {
        for (long start : hopping.startsFor(OpenWindowCodec.end(paneKey))) {
            long end = hopping.endOf(start);
            if (end > closedUpTo && end <= watermark) {
                due.merge(OpenWindowCodec.rekey(paneKey, end, OpenWindowCodec.HOPPING), pane,
                        WindowAggregate::merge);
            }
        }
    }

    private long nextEndAfterClosed() {
        if (closedUpTo == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        return Math.min(tumbling.nextEndAfter(closedUpTo), hopping.nextEndAfter(closedUpTo));
    }

    private void emit(Bytes storeKey, WindowAggregate aggregate) {
        int family = OpenWindowCodec.family(storeKey);
        WindowSpec spec = families[family];
        long end = OpenWindowCodec.end(storeKey);
        String key = OpenWindowCodec.recordKey(storeKey);
        OrderWindowStats stats = aggregate.toStats(key, spec, end - spec.sizeMs());
        RecordHeaders headers = new RecordHeaders();
        if (aggregate.lastIngestedAtMs() != WindowAggregate.NO_INGESTION) {
            headers.add(Headers.INGESTED_AT_MS, Headers.encodeLong(aggregate.lastIngestedAtMs()));
        }
        context.forward(new Record<>(key, stats, end - 1, headers), sink);
        closed.get(family).put(key, stats, stats.windowStartMs());
        metrics.emitted(spec.name());
    }

    private long countOpen() {
        long count = 0;
        try (KeyValueIterator<Bytes, byte[]> it = open.all()) {
            for (; it.hasNext(); it.next()) {
                count++;
            }
        }
        return count;
    }

    private static long valueOr(Long value, long fallback) {
        return value == null ? fallback : value;
    }

    @Override
    public void close() {
        written.clear();
        watermarks.forget(task);
        metrics.forget(task);
    }
}

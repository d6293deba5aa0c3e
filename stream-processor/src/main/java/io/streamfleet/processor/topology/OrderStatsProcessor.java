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

import java.util.ArrayList;
import java.util.List;

/**
 * Windowed order stats per {@code accountId|symbol}, emitted once per window when it closes. Built on the Processor
 * API rather than the DSL because DSL windows only close when a record arrives; here they close on the gate's
 * {@link StreamTimeTick}s, which idle advance also produces.
 * <ul>
 *   <li>An order updates every open window containing its event time: one tumbling, size/advance hopping.</li>
 *   <li>A tick with stream time S closes every window with end ≤ S − grace, in end order: emitted to the stats sink
 *   (header: latest ingestion time of the window's events), copied into the queryable closed-window store, and
 *   deleted from the open store. The closed-up-to watermark is stored, so nothing is emitted twice after a restart.
 *   A tick that passes no window end does nothing (no scan, no write): ticks come with nearly every order.</li>
 * </ul>
 */
final class OrderStatsProcessor implements Processor<String, Object, String, OrderWindowStats> {

    private static final Logger log = LoggerFactory.getLogger(OrderStatsProcessor.class);
    private static final String CLOSED_UP_TO = "closed-up-to";
    private static final String OPEN = "open";

    private final WindowSpec[] families;
    private final String[] closedStores;
    private final PriceTicks ticks;
    private final long graceMs;
    private final String sink;
    private final ProcessorMetrics metrics;
    private final ClosedWindowWatermarks watermarks;
    private ProcessorContext<String, OrderWindowStats> context;
    private KeyValueStore<Bytes, byte[]> open;
    private KeyValueStore<String, Long> progress;
    private List<WindowStore<String, OrderWindowStats>> closed;
    private StoreSizeReporter sizes;
    private String task;
    private long closedUpTo;
    private long openCount;

    OrderStatsProcessor(WindowSpec tumbling, WindowSpec hopping, PriceTicks ticks, long graceMs, String sink,
                        ProcessorMetrics metrics, ClosedWindowWatermarks watermarks) {
        this.families = new WindowSpec[] {tumbling, hopping};
        this.closedStores = new String[] {ProcessorStores.STATS_CLOSED_TUMBLING, ProcessorStores.STATS_CLOSED_HOPPING};
        this.ticks = ticks;
        this.graceMs = graceMs;
        this.sink = sink;
        this.metrics = metrics;
        this.watermarks = watermarks;
    }

    @Override
    public void init(ProcessorContext<String, OrderWindowStats> context) {
        this.context = context;
        this.open = context.getStateStore(ProcessorStores.STATS_OPEN_WINDOWS);
        this.progress = context.getStateStore(ProcessorStores.STATS_PROGRESS);
        this.closed = List.of(context.getStateStore(closedStores[0]), context.getStateStore(closedStores[1]));
        this.task = context.taskId().toString();
        this.closedUpTo = valueOr(progress.get(CLOSED_UP_TO), Long.MIN_VALUE);
        this.openCount = valueOr(progress.get(OPEN), 0L);
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
        long level = ticks.levelOf(order.price());
        for (int family = 0; family < families.length; family++) {
            WindowSpec spec = families[family];
            for (long start : spec.startsFor(order.eventTimeMs())) {
                long end = spec.endOf(start);
                if (end <= closedUpTo) {
                    metrics.statsSkipped();
                    log.warn("Order {} of {} falls in {} window ending {} that is already closed (up to {})",
                            order.eventId(), key, spec.name(), end, closedUpTo);
                    continue;
                }
                Bytes storeKey = OpenWindowCodec.key(end, family, key);
                byte[] stored = open.get(storeKey);
                WindowAggregate current = stored == null ? WindowAggregate.empty() : OpenWindowCodec.decode(stored);
                open.put(storeKey, OpenWindowCodec.encode(current.add(order, level, ingestedAt)));
                if (stored == null) {
                    openCount++;
                }
            }
        }
    }

    private void close(long watermark) {
        if (watermark <= closedUpTo || watermark < nextEndAfterClosed()) {
            // no window ends in (closedUpTo, watermark]: skip the range scan and progress writes (most ticks)
            return;
        }
        long from = closedUpTo == Long.MIN_VALUE ? Long.MIN_VALUE : closedUpTo + 1;
        List<KeyValue<Bytes, byte[]>> due = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = open.range(OpenWindowCodec.lowerBound(from),
                OpenWindowCodec.upperBound(watermark))) {
            while (it.hasNext()) {
                due.add(it.next());
            }
        }
        for (KeyValue<Bytes, byte[]> entry : due) {
            emit(entry.key, OpenWindowCodec.decode(entry.value));
            open.delete(entry.key);
        }
        openCount -= due.size();
        closedUpTo = watermark;
        progress.put(CLOSED_UP_TO, closedUpTo);
        progress.put(OPEN, openCount);
        watermarks.report(task, closedUpTo);
        metrics.reportOpenWindows(task, openCount);
    }

    private long nextEndAfterClosed() {
        if (closedUpTo == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        long next = Long.MAX_VALUE;
        for (WindowSpec family : families) {
            next = Math.min(next, family.nextEndAfter(closedUpTo));
        }
        return next;
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

    private static long valueOr(Long value, long fallback) {
        return value == null ? fallback : value;
    }

    @Override
    public void close() {
        if (task != null) {
            watermarks.forget(task);
            metrics.forget(task);
        }
    }
}

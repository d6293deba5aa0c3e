package io.streamfleet.processor.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamfleet.support.processor.TaskSnapshots;

import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The processor's Micrometer meters ({@code streamfleet.processor.*}). Counters are tagged by input topic (or window
 * family); gauges sum what each stream task last reported, so they stay right across rebalances.
 */
public final class ProcessorMetrics {

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, TopicMeters> topics = new ConcurrentHashMap<>();
    private final Map<String, Counter> emitted = new ConcurrentHashMap<>();
    private final TaskSnapshots<Long> openWindows = new TaskSnapshots<>();
    private final Map<String, TaskSnapshots<Long>> storeBytes = new ConcurrentHashMap<>();
    private final Counter statsSkipped;
    private final Counter orderJsonFallbacks;

    /** What one gate task last reported; stream time {@link Long#MIN_VALUE} while unknown. */
    record GateSnapshot(long streamTimeMs, long liveSources) {
    }

    /** Meters of one input topic. */
    final class TopicMeters {
        final Counter records;
        final Counter duplicates;
        final Counter late;
        final Counter invalid;
        final Counter progressMarks;
        final Counter progressInvalid;
        final Counter progressWritten;
        final Counter dedupStoreLookups;
        final SlidingRate rate;
        private final TaskSnapshots<GateSnapshot> gates = new TaskSnapshots<>();
        private final TaskSnapshots<Long> dedupFilterBytes = new TaskSnapshots<>();

        private TopicMeters(String topic) {
            records = Counter.builder("streamfleet.processor.records").tag("topic", topic)
                    .description("Records read from the raw topic").register(registry);
            duplicates = Counter.builder("streamfleet.processor.dedup.duplicates").tag("topic", topic)
                    .description("Duplicates (same eventId within the retention) dropped").register(registry);
            late = Counter.builder("streamfleet.processor.late.events").tag("topic", topic)
                    .description("Events behind the watermark, sent to the late topic").register(registry);
            invalid = Counter.builder("streamfleet.processor.invalid.records").tag("topic", topic)
                    .description("Records without a value, skipped").register(registry);
            progressMarks = Counter.builder("streamfleet.processor.progress.marks").tag("topic", topic)
                    .description("Progress records read from the raw topic").register(registry);
            progressInvalid = Counter.builder("streamfleet.processor.progress.invalid").tag("topic", topic)
                    .description("Malformed progress records, skipped").register(registry);
            progressWritten = Counter.builder("streamfleet.processor.progress.written").tag("topic", topic)
                    .description("Stream-time marks written to the clean topic").register(registry);
            dedupStoreLookups = Counter.builder("streamfleet.processor.dedup.store.lookups").tag("topic", topic)
                    .description("Events whose id the in-memory filter could not rule out, so the dedup store was "
                            + "read (duplicates, about 1 % false positives, events older than the filter)")
                    .register(registry);
            dedupFilterBytes.sumGauge("streamfleet.processor.dedup.filter.bytes", Long::doubleValue)
                    .tag("topic", topic)
                    .description("Heap of the in-memory dedup id filters, all local tasks").register(registry);
            Gauge.builder("streamfleet.processor.progress.sources", () -> gates.min(GateSnapshot::liveSources, 0))
                    .tag("topic", topic)
                    .description("Producers (gateway instances) holding the topic's time back; fewest over its tasks")
                    .register(registry);
            rate = new SlidingRate(clock);
            Gauge.builder("streamfleet.processor.records.per.second", rate, SlidingRate::perSecond).tag("topic", topic)
                    .description("Records read per second over the last 10 s").register(registry);
            Gauge.builder("streamfleet.processor.stream.time.lag.ms",
                            () -> gates.lagMs(clock, GateSnapshot::streamTimeMs)).tag("topic", topic)
                    .description("Wall clock minus the oldest task stream time of the topic").register(registry);
        }

        void report(String task, GateSnapshot snapshot, long filterBytes) {
            gates.report(task, snapshot);
            dedupFilterBytes.report(task, filterBytes);
        }
    }

    public ProcessorMetrics(MeterRegistry registry, Collection<String> inputTopics, Collection<String> windowFamilies,
                            Collection<String> storeNames) {
        this(registry, Clock.systemUTC(), inputTopics, windowFamilies, storeNames);
    }

    public ProcessorMetrics(MeterRegistry registry, Clock clock, Collection<String> inputTopics,
                            Collection<String> windowFamilies, Collection<String> storeNames) {
        this.registry = registry;
        this.clock = clock;
        inputTopics.forEach(this::topic);
        for (String family : windowFamilies) {
            emitted.put(family, Counter.builder("streamfleet.processor.stats.windows.emitted").tag("window", family)
                    .description("Closed windows emitted to orders.stats").register(registry));
        }
        statsSkipped = Counter.builder("streamfleet.processor.stats.skipped.events")
                .description("Accepted events whose window had already closed (only after a restore lag)")
                .register(registry);
        orderJsonFallbacks = Counter.builder("streamfleet.processor.order.json.fallbacks")
                .description("Order documents the streaming reader left to the contract serde's databind path "
                        + "(unusual shape, coercions, malformed)").register(registry);
        openWindows.sumGauge("streamfleet.processor.stats.windows.open", Long::doubleValue)
                .description("Open aggregates of the stats: tumbling windows not yet closed plus hopping panes "
                        + "still needed by a hopping window not yet closed").register(registry);
        for (String store : storeNames) {
            TaskSnapshots<Long> perTask = storeBytes.computeIfAbsent(store, s -> new TaskSnapshots<>());
            perTask.sumGauge("streamfleet.processor.store.disk.bytes", Long::doubleValue).tag("store", store)
                    .description("On-disk size of the state store (RocksDB files), all local tasks").register(registry);
        }
    }

    TopicMeters topic(String topic) {
        return topics.computeIfAbsent(topic, TopicMeters::new);
    }

    void emitted(String family) {
        emitted.computeIfAbsent(family, f -> Counter.builder("streamfleet.processor.stats.windows.emitted")
                .tag("window", f).register(registry)).increment();
    }

    void statsSkipped() {
        statsSkipped.increment();
    }

    void orderJsonFallback() {
        orderJsonFallbacks.increment();
    }

    void reportOpenWindows(String task, long open) {
        openWindows.report(task, open);
    }

    void reportStoreBytes(String task, String store, long bytes) {
        TaskSnapshots<Long> perTask = storeBytes.get(store);
        if (perTask != null) {
            perTask.report(task, bytes);
        }
    }

    /** A closed task's numbers leave every gauge; {@code null} (closed before init) is ignored. */
    void forget(String task) {
        topics.values().forEach(m -> {
            m.gates.forget(task);
            m.dedupFilterBytes.forget(task);
        });
        openWindows.forget(task);
        storeBytes.values().forEach(m -> m.forget(task));
    }
}

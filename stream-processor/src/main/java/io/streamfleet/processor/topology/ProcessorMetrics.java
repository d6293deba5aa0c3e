package io.streamfleet.processor.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

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
    private final Map<String, Long> openWindows = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Long>> storeBytes = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Long>> streamTimes = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Long>> sources = new ConcurrentHashMap<>();
    private final Counter statsSkipped;

    /** Meters of one input topic. */
    final class TopicMeters {
        final Counter records;
        final Counter duplicates;
        final Counter late;
        final Counter invalid;
        final Counter progressMarks;
        final Counter progressInvalid;
        final Counter progressWritten;
        final SlidingRate rate;

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
            Gauge.builder("streamfleet.processor.progress.sources", () -> liveSources(topic)).tag("topic", topic)
                    .description("Producers (gateway instances) holding the topic's time back; fewest over its tasks")
                    .register(registry);
            rate = new SlidingRate(clock);
            Gauge.builder("streamfleet.processor.records.per.second", rate, SlidingRate::perSecond).tag("topic", topic)
                    .description("Records read per second over the last 10 s").register(registry);
            Gauge.builder("streamfleet.processor.stream.time.lag.ms", () -> streamTimeLag(topic)).tag("topic", topic)
                    .description("Wall clock minus the oldest task stream time of the topic").register(registry);
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
        Gauge.builder("streamfleet.processor.stats.windows.open", openWindows,
                        m -> m.values().stream().mapToLong(Long::longValue).sum())
                .description("Open aggregates of the stats: tumbling windows not yet closed plus hopping panes "
                        + "still needed by a hopping window not yet closed").register(registry);
        for (String store : storeNames) {
            Map<String, Long> perTask = storeBytes.computeIfAbsent(store, s -> new ConcurrentHashMap<>());
            Gauge.builder("streamfleet.processor.store.disk.bytes", perTask,
                            m -> m.values().stream().mapToLong(Long::longValue).sum()).tag("store", store)
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

    void reportOpenWindows(String task, long open) {
        openWindows.put(task, open);
    }

    void reportStoreBytes(String task, String store, long bytes) {
        Map<String, Long> perTask = storeBytes.get(store);
        if (perTask != null) {
            perTask.put(task, bytes);
        }
    }

    void reportStreamTime(String topic, String task, long streamTimeMs) {
        streamTimes.computeIfAbsent(topic, t -> new ConcurrentHashMap<>()).put(task, streamTimeMs);
    }

    void reportLiveSources(String topic, String task, int count) {
        sources.computeIfAbsent(topic, t -> new ConcurrentHashMap<>()).put(task, (long) count);
    }

    private double liveSources(String topic) {
        Map<String, Long> perTask = sources.get(topic);
        return perTask == null || perTask.isEmpty() ? 0
                : perTask.values().stream().mapToLong(Long::longValue).min().orElse(0);
    }

    void forget(String task) {
        sources.values().forEach(m -> m.remove(task));
        openWindows.remove(task);
        storeBytes.values().forEach(m -> m.remove(task));
        streamTimes.values().forEach(m -> m.remove(task));
    }

    private double streamTimeLag(String topic) {
        Map<String, Long> perTask = streamTimes.get(topic);
        if (perTask == null || perTask.isEmpty()) {
            return 0;
        }
        long oldest = perTask.values().stream().mapToLong(Long::longValue).min().orElse(Long.MIN_VALUE);
        return oldest == Long.MIN_VALUE ? 0 : Math.max(0, clock.millis() - oldest);
    }
}

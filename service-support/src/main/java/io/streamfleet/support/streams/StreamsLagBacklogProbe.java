package io.streamfleet.support.streams;

import io.streamfleet.support.time.BacklogProbe;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Tells a partition that is waiting for its turn from one that is idle, from the running streams client (looked up
 * lazily: the client is built from the topology that uses this probe). A partition has a backlog when
 * <ul>
 *   <li>the partition's log end moved recently, or its leader has not answered recently ({@link InputLogWatch}):
 *   records are still arriving (the consumer's lag metric can read 0 for seconds while the log grows — it is only
 *   as fresh as the last fetch of that partition), or we cannot tell (broker outage);</li>
 *   <li>an upstream stage is configured and still has uncommitted input ({@link UpstreamProgress}): a partition of
 *   ours that is silent because the stage before us is down is not idle;</li>
 *   <li>the main consumer has not reported its lag yet (just assigned or restored, first fetch not back: after a
 *   restart that takes seconds) or reports a lag above zero;</li>
 *   <li>the consumer has already fetched records the processor has not seen ({@link FetchedOffsets}): Streams
 *   buffers fetched records per task, and under load a task can wait longer than the idle timeout for its turn.</li>
 * </ul>
 * The last rule gives up after {@code stallAfter} without progress (a corrupt record skipped by the deserialisation
 * handler never reaches the processor and must not freeze its time for good).
 */
public final class StreamsLagBacklogProbe implements BacklogProbe {

    private static final Logger log = LoggerFactory.getLogger(StreamsLagBacklogProbe.class);
    private static final Duration DEFAULT_STALL_AFTER = Duration.ofSeconds(30);

    private final ObjectProvider<ManagedKafkaStreams> streams;
    private final ObjectProvider<UpstreamProgress> upstream;
    private final ObjectProvider<InputLogWatch> inputWatch;
    private final ProgressWatch progress;
    private final LagIndex lags;

    public StreamsLagBacklogProbe(ObjectProvider<ManagedKafkaStreams> streams,
                                  ObjectProvider<UpstreamProgress> upstream,
                                  ObjectProvider<InputLogWatch> inputWatch) {
        this(streams, upstream, inputWatch, DEFAULT_STALL_AFTER, System::currentTimeMillis);
    }

    StreamsLagBacklogProbe(ObjectProvider<ManagedKafkaStreams> streams, ObjectProvider<UpstreamProgress> upstream,
                           ObjectProvider<InputLogWatch> inputWatch, Duration stallAfter, LongSupplier clock) {
        this.streams = streams;
        this.upstream = upstream;
        this.inputWatch = inputWatch;
        this.progress = new ProgressWatch(stallAfter.toMillis(), clock);
        this.lags = new LagIndex(clock);
    }

    @Override
    public boolean hasBacklog(String topic, int partition, long lastProcessedOffset) {
        InputLogWatch watch = inputWatch.getIfAvailable();
        if (watch != null && watch.holdsBack(new TopicPartition(topic, partition))) {
            return true;
        }
        UpstreamProgress before = upstream.getIfAvailable();
        if (before != null && before.behind(partition)) {
            return true;
        }
        ManagedKafkaStreams managed = streams.getIfAvailable();
        KafkaStreams client = managed == null ? null : managed.client();
        if (client == null) {
            return false;
        }
        Double lag = lags.lag(client, new TopicPartition(topic, partition));
        if (lag == null || lag.isNaN() || lag > 0) {
            return true;
        }
        FetchedOffsets fetched = managed.fetchedOffsets();
        OptionalLong highest = fetched == null ? OptionalLong.empty() : fetched.highestFetched(topic, partition);
        boolean unseen = highest.isPresent() && highest.getAsLong() > lastProcessedOffset;
        boolean backlog = unseen && !progress.stalled(new TopicPartition(topic, partition), lastProcessedOffset);
        if (!backlog && log.isTraceEnabled()) {
            log.trace("{}-{} counts as idle: consumer lag {}, fetched up to {}, processed up to {}", topic, partition,
                    lag, highest, lastProcessedOffset);
        }
        return backlog;
    }

    @Override
    public long fetchedOffset(String topic, int partition) {
        ManagedKafkaStreams managed = streams.getIfAvailable();
        FetchedOffsets fetched = managed == null ? null : managed.fetchedOffsets();
        return fetched == null ? NOTHING_PROCESSED
                : fetched.highestFetched(topic, partition).orElse(NOTHING_PROCESSED);
    }

    /**
     * The main consumer's {@code records-lag} metrics by partition. {@link KafkaStreams#metrics()} copies every
     * metric of the client into a new map, and every task's punctuation asks (a profile showed 18 % of the stream
     * thread in it), so the metric objects are located at most once a second and read directly in between. A
     * partition assigned since the last look reads as unknown (a backlog) until the next one.
     */
    static final class LagIndex {

        private static final long REINDEX_MS = 1_000;

        private final LongSupplier clock;
        private volatile KafkaStreams indexed;
        private volatile Map<TopicPartition, Metric> byPartition = Map.of();
        private volatile long indexedAtMs;

        LagIndex(LongSupplier clock) {
            this.clock = clock;
        }

        /** Last lag of the partition, or null before its first fetch returned. */
        Double lag(KafkaStreams client, TopicPartition partition) {
            long now = clock.getAsLong();
            if (client != indexed || now - indexedAtMs >= REINDEX_MS) {
                reindex(client, now);
            }
            Metric metric = byPartition.get(partition);
            return metric != null && metric.metricValue() instanceof Double lag ? lag : null;
        }

        private synchronized void reindex(KafkaStreams client, long now) {
            if (client == indexed && now - indexedAtMs < REINDEX_MS) {
                return;
            }
            Map<TopicPartition, Metric> found = new java.util.HashMap<>();
            for (Map.Entry<MetricName, ? extends Metric> entry : client.metrics().entrySet()) {
                MetricName name = entry.getKey();
                String topic = name.tags().get("topic");
                String partition = name.tags().get("partition");
                if ("records-lag".equals(name.name()) && topic != null && partition != null
                        && !name.tags().getOrDefault("client-id", "").endsWith("restore-consumer")) {
                    found.put(new TopicPartition(topic, Integer.parseInt(partition)), entry.getValue());
                }
            }
            byPartition = found;
            indexed = client;
            indexedAtMs = now;
        }
    }

    /** How long each partition's processed offset has stood still while fetched records wait. */
    static final class ProgressWatch {

        private final long stallAfterMs;
        private final LongSupplier clock;
        private final Map<TopicPartition, long[]> since = new ConcurrentHashMap<>();

        ProgressWatch(long stallAfterMs, LongSupplier clock) {
            this.stallAfterMs = stallAfterMs;
            this.clock = clock;
        }

        /** True once {@code offset} has been the partition's last processed offset for longer than the bound. */
        boolean stalled(TopicPartition partition, long offset) {
            long now = clock.getAsLong();
            long[] mark = since.compute(partition,
                    (p, old) -> old != null && old[0] == offset ? old : new long[]{offset, now, 0});
            boolean stalled = now - mark[1] > stallAfterMs;
            if (stalled && mark[2] == 0) {
                mark[2] = 1;
                log.warn("{} has fetched records past offset {} that no processor has seen for {} ms (skipped as "
                        + "corrupt?): treating it as idle", partition, offset, now - mark[1]);
            }
            return stalled;
        }
    }
}

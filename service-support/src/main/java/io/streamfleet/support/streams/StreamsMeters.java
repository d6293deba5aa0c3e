package io.streamfleet.support.streams;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.SelectedKafkaMetrics;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Binds a Kafka Streams client's metrics to Micrometer, all but those that are unsafe to read from another thread.
 *
 * <p>Kafka Streams 4.4's {@code uncommitted-bytes} store gauge reads the size of the transactional store's RocksDB
 * write batch, and the stream thread closes that batch and puts a new one in its place at every commit, without a
 * lock. Read from a scrape or from Micrometer's binder (which calls every metric's value whenever the set of metrics
 * changes) it can touch freed native memory: a stream-processor JVM died of exactly that (SIGSEGV in
 * {@code WriteBatch.getDataSize}, called from the binder's thread). No dashboard uses the gauge, so it is not bound;
 * {@code statestore.uncommitted.max.bytes} still bounds the buffers.
 */
public final class StreamsMeters {

    /** Kafka Streams metric names (group {@code stream-state-metrics}) never read off the stream thread. */
    static final Set<String> UNSAFE_OFF_THREAD = Set.of("uncommitted-bytes");

    private StreamsMeters() {
    }

    /** Binds the client's safe metrics; close the result when the client is closed. */
    public static SelectedKafkaMetrics bind(KafkaStreams client, MeterRegistry registry) {
        SelectedKafkaMetrics metrics = new SelectedKafkaMetrics(() -> safe(client.metrics()));
        metrics.bindTo(registry);
        return metrics;
    }

    static Map<MetricName, Metric> safe(Map<MetricName, ? extends Metric> all) {
        Map<MetricName, Metric> safe = new LinkedHashMap<>(all.size());
        all.forEach((name, metric) -> {
            if (!UNSAFE_OFF_THREAD.contains(name.name())) {
                safe.put(name, metric);
            }
        });
        return safe;
    }
}

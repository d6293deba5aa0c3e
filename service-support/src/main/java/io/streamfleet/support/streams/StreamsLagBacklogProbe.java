package io.streamfleet.support.streams;

import io.streamfleet.support.time.BacklogProbe;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.beans.factory.ObjectProvider;

import java.util.Map;

/**
 * Reads the main consumer's {@code records-lag} metric of an input partition from the running streams client
 * (looked up lazily: the client is built from the topology that uses this probe).
 */
public final class StreamsLagBacklogProbe implements BacklogProbe {

    private final ObjectProvider<ManagedKafkaStreams> streams;

    public StreamsLagBacklogProbe(ObjectProvider<ManagedKafkaStreams> streams) {
        this.streams = streams;
    }

    @Override
    public boolean hasBacklog(String topic, int partition) {
        ManagedKafkaStreams managed = streams.getIfAvailable();
        KafkaStreams client = managed == null ? null : managed.client();
        if (client == null) {
            return false;
        }
        String partitionTag = Integer.toString(partition);
        for (Map.Entry<MetricName, ? extends Metric> entry : client.metrics().entrySet()) {
            MetricName name = entry.getKey();
            if ("records-lag".equals(name.name()) && topic.equals(name.tags().get("topic"))
                    && partitionTag.equals(name.tags().get("partition"))
                    && !name.tags().getOrDefault("client-id", "").endsWith("restore-consumer")
                    && entry.getValue().metricValue() instanceof Double lag && lag > 0) {
                return true;
            }
        }
        return false;
    }
}

package io.streamfleet.support.streams;

import io.streamfleet.support.time.BacklogProbe;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.beans.factory.ObjectProvider;

import java.util.Map;

/**
 * Reads the main consumer's {@code records-lag} metric of an input partition from the running streams client
 * (looked up lazily: the client is built from the topology that uses this probe), and — when an upstream stage is
 * configured — whether that stage still has uncommitted input ({@link UpstreamProgress}): a partition of ours that is
 * silent because the stage before us is down is not idle.
 */
public final class StreamsLagBacklogProbe implements BacklogProbe {

    private final ObjectProvider<ManagedKafkaStreams> streams;
    private final ObjectProvider<UpstreamProgress> upstream;

    public StreamsLagBacklogProbe(ObjectProvider<ManagedKafkaStreams> streams,
                                  ObjectProvider<UpstreamProgress> upstream) {
        this.streams = streams;
        this.upstream = upstream;
    }

    @Override
    public boolean hasBacklog(String topic, int partition) {
        UpstreamProgress before = upstream.getIfAvailable();
        if (before != null && before.behind(partition)) {
            return true;
        }
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

package io.micrometer.core.instrument.binder.kafka;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Micrometer's Kafka binder (same meter names, tags and refresh as {@link KafkaStreamsMetrics}) over a metrics map the
 * caller chooses. Micrometer takes a metrics supplier only through a package-private constructor, hence this class in
 * its package; StreamFleet needs it to keep Kafka metrics that must not be read off their owner's thread out of the
 * registry altogether ({@code io.streamfleet.support.streams.StreamsMeters}).
 */
public final class SelectedKafkaMetrics extends KafkaMetrics {

    public SelectedKafkaMetrics(Supplier<Map<MetricName, ? extends Metric>> metrics) {
        super(metrics);
    }
}

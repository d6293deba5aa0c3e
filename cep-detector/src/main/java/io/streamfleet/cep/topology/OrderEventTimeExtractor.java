package io.streamfleet.cep.topology;

import io.streamfleet.contracts.event.OrderEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Kafka's stream time is event time: an order's {@code eventTimeMs}. Anything else — progress records (null value),
 * records that failed to deserialize — keeps the partition's time; the detector's own time rules live in the
 * processor.
 */
public final class OrderEventTimeExtractor implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof OrderEvent order && order.eventTimeMs() >= 0) {
            return order.eventTimeMs();
        }
        return Math.max(partitionTime, 0);
    }
}

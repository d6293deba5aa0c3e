package io.streamfleet.cep.topology;

import io.streamfleet.contracts.event.OrderEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/** Stream time is event time: an order's {@code eventTimeMs}; anything else keeps the partition's time. */
public final class OrderEventTimeExtractor implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof OrderEvent order && order.eventTimeMs() >= 0) {
            return order.eventTimeMs();
        }
        return record.timestamp() >= 0 ? record.timestamp() : Math.max(partitionTime, 0);
    }
}

package io.streamfleet.processor.topology;

import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.OrderEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Stream time is event time: the event's {@code eventTimeMs}. Anything else — progress records (null value), records
 * that failed to deserialize — keeps the partition's time, so only the gate's own rules move time.
 */
public final class EventTimeExtractor implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        Object value = record.value();
        if (value instanceof OrderEvent order && order.eventTimeMs() >= 0) {
            return order.eventTimeMs();
        }
        if (value instanceof EngagementEvent engagement && engagement.eventTimeMs() >= 0) {
            return engagement.eventTimeMs();
        }
        return Math.max(partitionTime, 0);
    }
}

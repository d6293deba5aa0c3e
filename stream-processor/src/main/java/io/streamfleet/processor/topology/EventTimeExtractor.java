package io.streamfleet.processor.topology;

import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.OrderEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/** Stream time is event time: the event's {@code eventTimeMs}; anything else keeps the record or partition time. */
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
        return record.timestamp() >= 0 ? record.timestamp() : Math.max(partitionTime, 0);
    }
}

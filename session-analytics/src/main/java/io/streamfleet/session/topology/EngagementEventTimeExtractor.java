package io.streamfleet.session.topology;

import io.streamfleet.contracts.event.EngagementEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/** Stream time is event time: an engagement event's {@code eventTimeMs}; anything else keeps the partition's time. */
public final class EngagementEventTimeExtractor implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof EngagementEvent event && event.eventTimeMs() >= 0) {
            return event.eventTimeMs();
        }
        return record.timestamp() >= 0 ? record.timestamp() : Math.max(partitionTime, 0);
    }
}

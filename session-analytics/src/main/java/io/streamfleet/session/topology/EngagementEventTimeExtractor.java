package io.streamfleet.session.topology;

import io.streamfleet.contracts.event.EngagementEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Kafka Streams' record time is event time: an engagement event's {@code eventTimeMs}. Anything else — progress
 * records (null value), records that failed to deserialize — keeps the partition's time: only the processor's own
 * rules move stream time (docs/event-time.md).
 */
public final class EngagementEventTimeExtractor implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof EngagementEvent event && event.eventTimeMs() >= 0) {
            return event.eventTimeMs();
        }
        return Math.max(partitionTime, 0);
    }
}

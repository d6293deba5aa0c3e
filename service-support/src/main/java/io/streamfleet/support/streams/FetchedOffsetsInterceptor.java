package io.streamfleet.support.streams;

import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.List;
import java.util.Map;

/** Notes, per partition, the last offset of every batch the main consumer returns (see {@link FetchedOffsets}). */
public final class FetchedOffsetsInterceptor implements ConsumerInterceptor<byte[], byte[]> {

    private FetchedOffsets tracker;

    @Override
    public void configure(Map<String, ?> configs) {
        Object id = configs.get(FetchedOffsets.REGISTRY_ID_CONFIG);
        tracker = FetchedOffsets.lookup(id == null ? null : id.toString());
    }

    @Override
    public ConsumerRecords<byte[], byte[]> onConsume(ConsumerRecords<byte[], byte[]> records) {
        if (tracker != null) {
            for (TopicPartition partition : records.partitions()) {
                List<ConsumerRecord<byte[], byte[]>> batch = records.records(partition);
                if (!batch.isEmpty()) {
                    tracker.fetched(partition, batch.get(batch.size() - 1).offset());
                }
            }
        }
        return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    }

    @Override
    public void close() {
    }
}

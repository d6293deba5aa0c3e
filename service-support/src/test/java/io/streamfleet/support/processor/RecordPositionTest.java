package io.streamfleet.support.processor;

import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecordPositionTest {

    private final MockProcessorContext<String, Object> context = new MockProcessorContext<>();

    @Test
    void shouldNameTopicPartitionAndOffsetOfTheCurrentRecord() {
        context.setRecordMetadata("orders.raw", 2, 17);

        assertThat(RecordPosition.of(context)).isEqualTo("orders.raw-2@17");
    }

    @Test
    void shouldSayUnknownPositionWhenNoRecordIsBeingProcessed() {
        assertThat(RecordPosition.of(context)).isEqualTo("unknown position");
    }
}

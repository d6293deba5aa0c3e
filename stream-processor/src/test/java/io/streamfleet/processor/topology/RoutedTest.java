package io.streamfleet.processor.topology;

import io.streamfleet.contracts.topic.Topics;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Set;

import static io.streamfleet.processor.support.Events.created;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoutedTest {

    @Test
    void shouldPlaceRecordInItsInputPartitionWhateverItsKey() {
        var partitioner = Routed.partitioner();
        assertThat(partitioner.partitions("orders.clean", "any-key", new Routed(2, new byte[] {'{', '}'}), 3))
                .isEqualTo(Optional.of(Set.of(2)));
        assertThat(partitioner.partitions("orders.clean", null, new Routed(0, null), 3))
                .isEqualTo(Optional.of(Set.of(0)));
    }

    @Test
    void shouldFailLoudlyWhenTheCleanTopicHasFewerPartitionsThanTheRawTopic() {
        assertThatThrownBy(() -> Routed.partitioner().partitions("orders.clean", "k", new Routed(3, null), 3))
                .hasMessageContaining("orders.clean").hasMessageContaining("same number");
    }

    @Test
    void shouldWriteTheRawBytesUnchangedAndAProgressRecordAsNoValue() {
        var events = Topics.ORDER_EVENT_SERDE;
        byte[] raw = events.serializer().serialize("orders.raw", created("a", 1.0, 5));
        RawEvent<?> read = RawEvent.deserializer(events.deserializer()).deserialize("orders.raw", raw);
        assertThat(read.event()).isEqualTo(created("a", 1.0, 5));
        assertThat(Routed.serializer().serialize("orders.clean", new Routed(1, read.bytes()))).isSameAs(raw);
        assertThat(RawEvent.serializer().serialize("orders.late", read)).isSameAs(raw);
        assertThat(Routed.serializer().serialize("orders.clean", new Routed(1, null))).isNull();
    }

    @Test
    void shouldPassAnUnparseableValueToTheDeserializationHandlerAsBefore() {
        var raw = RawEvent.deserializer(Topics.ORDER_EVENT_SERDE.deserializer());
        assertThatThrownBy(() -> raw.deserialize("orders.raw", "{not json".getBytes()))
                .isInstanceOf(org.apache.kafka.common.errors.SerializationException.class);
    }
}

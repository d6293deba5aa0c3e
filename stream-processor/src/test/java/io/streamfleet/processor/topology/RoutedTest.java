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
        assertThat(partitioner.partitions("orders.clean", "any-key", new Routed(2, created("a", 1.0, 5)), 3))
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
    void shouldSerializeTheEventUnchangedAndAProgressRecordAsNoValue() {
        var events = Topics.ORDER_EVENT_SERDE.serializer();
        var routed = Routed.serializer(events);
        var event = created("a", 1.0, 5);
        assertThat(routed.serialize("orders.clean", new Routed(1, event))).isEqualTo(events.serialize("t", event));
        assertThat(routed.serialize("orders.clean", new Routed(1, null))).isNull();
    }
}

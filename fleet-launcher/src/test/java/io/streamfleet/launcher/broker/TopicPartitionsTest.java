package io.streamfleet.launcher.broker;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicPartitionsTest {

    @Test
    void shouldUseThreePartitionsWhenTheVariableIsUnset() {
        assertThat(TopicSetup.partitionsFrom(Map.of())).isEqualTo(3);
        assertThat(TopicSetup.partitionsFrom(Map.of(TopicSetup.PARTITIONS_VARIABLE, " "))).isEqualTo(3);
    }

    @Test
    void shouldTakeThePartitionCountFromTheVariable() {
        assertThat(TopicSetup.partitionsFrom(Map.of(TopicSetup.PARTITIONS_VARIABLE, "12"))).isEqualTo(12);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-3", "65", "twelve", "1.5"})
    void shouldRefuseACountThatIsNotAWholeNumberFromOneTo64NamingTheVariable(String value) {
        assertThatThrownBy(() -> TopicSetup.partitionsFrom(Map.of(TopicSetup.PARTITIONS_VARIABLE, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(TopicSetup.PARTITIONS_VARIABLE)
                .hasMessageContaining(value.trim());
    }

    @Test
    void shouldGiveTheDataFlowTopicsTheCountAndTheCompactedTopicsOnePartition() {
        assertThat(TopicSetup.fleetTopics(12)).allSatisfy(topic -> assertThat(topic.numPartitions())
                .isEqualTo(topic.configs() != null && "compact".equals(topic.configs().get("cleanup.policy")) ? 1 : 12));
        assertThat(TopicSetup.fleetTopics(12).stream().mapToInt(NewTopic::numPartitions)).contains(12);
    }
}

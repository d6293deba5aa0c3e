package io.streamfleet.testkit;

import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import io.streamfleet.testkit.kafka.TopicProbe;
import io.streamfleet.testkit.kafka.WithKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@WithKafkaBroker
class SharedKafkaBrokerIT {

    @Test
    void shouldStartARealBrokerWithEveryFleetTopicCreated() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedKafkaBroker.bootstrapServers()))) {
            Set<String> names = admin.listTopics().names().get();
            assertThat(names).containsAll(Topics.dataFlowTopicNames()).containsAll(Topics.compactedTopicNames());
        }
        assertThat(System.getProperty("spring.kafka.bootstrap-servers")).isEqualTo(SharedKafkaBroker.bootstrapServers());
    }

    @Test
    void shouldRoundTripAContractRecordThroughTheBroker() {
        OrderEvent event = new OrderEvent("probe-" + System.nanoTime(), "acc", "SYM", OrderEventType.CREATED, null, null,
                10.5, 3, 1_000L);
        TopicProbe.send(Topics.ORDERS_LATE, Map.entry(event.key(), event));
        List<ConsumerRecord<String, OrderEvent>> read = TopicProbe.readUntil(Topics.ORDERS_LATE, Duration.ofSeconds(20),
                records -> records.stream().anyMatch(r -> r.value().equals(event)));
        assertThat(read).extracting(ConsumerRecord::value).contains(event);
        assertThat(read).filteredOn(r -> r.value().equals(event)).extracting(ConsumerRecord::key).containsOnly("acc|SYM");
    }
}

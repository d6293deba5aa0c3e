package io.streamfleet.gateway;

import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.support.security.ApiKeyAuthenticator;
import io.streamfleet.testkit.kafka.InJvmKraftBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.util.List;
import java.util.Map;

/**
 * A broker of one test class's own, for tests that stop or overload it (the shared broker serves every other test),
 * with the raw topics the gateway writes, and the gateway's settings pointing at it with one events:write key.
 */
final class OwnGatewayBroker {

    private OwnGatewayBroker() {
    }

    static InJvmKraftBroker start(DynamicPropertyRegistry registry, String keyId, String secret) throws Exception {
        InJvmKraftBroker broker = InJvmKraftBroker.start(Map.of("transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1", "offsets.topic.replication.factor", "1",
                "min.insync.replicas", "1", "share.coordinator.state.topic.replication.factor", "1",
                "share.coordinator.state.topic.min.isr", "1", "num.partitions", "3"));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(Topics.ORDERS_RAW.name(), 3, (short) 1),
                    new NewTopic(Topics.ENGAGEMENT_RAW.name(), 3, (short) 1))).all().get();
        }
        registry.add("streamfleet.kafka.bootstrap-servers", broker::bootstrapServers);
        registry.add("streamfleet.security.keys[0].id", () -> keyId);
        registry.add("streamfleet.security.keys[0].sha256", () -> ApiKeyAuthenticator.sha256Hex(secret));
        registry.add("streamfleet.security.keys[0].scopes[0]", () -> "events:write");
        return broker;
    }
}

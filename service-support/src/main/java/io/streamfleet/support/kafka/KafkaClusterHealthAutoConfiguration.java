package io.streamfleet.support.kafka;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.Topology;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import java.time.Duration;
import java.util.Map;

/**
 * A {@code kafka} health indicator for the services that are plain Kafka clients (gateway, alert-api); Kafka Streams
 * services report the streams client state instead.
 */
@AutoConfiguration(after = KafkaClientsAutoConfiguration.class)
@ConditionalOnMissingBean(Topology.class)
public class KafkaClusterHealthAutoConfiguration {

    @Bean
    KafkaClusterHealth kafkaHealthIndicator(KafkaClients clients,
                                            @Value("${streamfleet.kafka.health-timeout:2s}") Duration timeout) {
        int timeoutMs = (int) timeout.toMillis();
        return new KafkaClusterHealth(clients.admin(Map.of(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.CLIENT_ID_CONFIG, "health-probe")), timeout, Duration.ofSeconds(2));
    }
}

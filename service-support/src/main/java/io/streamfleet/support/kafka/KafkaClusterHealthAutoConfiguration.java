package io.streamfleet.support.kafka;

import org.apache.kafka.clients.admin.Admin;
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
@AutoConfiguration
@ConditionalOnMissingBean(Topology.class)
public class KafkaClusterHealthAutoConfiguration {

    @Bean
    KafkaClusterHealth kafkaHealthIndicator(
            @Value("${streamfleet.kafka.bootstrap-servers:${spring.kafka.bootstrap-servers:localhost:9092}}") String servers,
            @Value("${streamfleet.kafka.health-timeout:2s}") Duration timeout) {
        Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
                AdminClientConfig.CLIENT_ID_CONFIG, "health-probe"));
        return new KafkaClusterHealth(admin, timeout, Duration.ofSeconds(2));
    }
}

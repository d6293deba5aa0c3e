package io.streamfleet.support.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;

/** {@link KafkaClients} from {@code spring.kafka.*}, for every service, with Kafka client metrics when there is a registry. */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@EnableConfigurationProperties(KafkaProperties.class)
public class KafkaClientsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    KafkaClients kafkaClients(KafkaProperties properties, ObjectProvider<MeterRegistry> registry) {
        KafkaClients clients = KafkaClients.from(properties);
        MeterRegistry meters = registry.getIfAvailable();
        return meters == null ? clients : clients.withMetrics(meters);
    }
}

package io.streamfleet.support.kafka;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;

/** {@link KafkaClients} from {@code spring.kafka.*}, for every service. */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@EnableConfigurationProperties(KafkaProperties.class)
public class KafkaClientsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    KafkaClients kafkaClients(KafkaProperties properties) {
        return KafkaClients.from(properties);
    }
}

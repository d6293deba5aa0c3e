package io.streamfleet.alerts.relay.binder;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.cloud.stream.binder.kafka.properties.KafkaBinderConfigurationProperties;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kafka binder builds its clients from Spring Boot's {@code spring.kafka.*}, as every other Kafka client of
 * alert-api does: a relay to the same cluster needs no second copy of the security settings. Pinned here because the
 * relay's documentation promises it and a binder upgrade could change it.
 */
class KafkaBinderSettingsTest {

    @Test
    void shouldGiveTheKafkaBinderTheSecuritySettingsOfSpringKafkaWhenOnlySpringKafkaIsConfigured() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("spring.kafka.bootstrap-servers", "kafka-1.example:9093,kafka-2.example:9093");
        settings.put("spring.kafka.security.protocol", "SASL_SSL");
        settings.put("spring.kafka.properties.sasl.mechanism", "SCRAM-SHA-512");
        settings.put("spring.kafka.properties.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";");
        settings.put("spring.kafka.ssl.trust-store-location", "file:/etc/kafka/truststore.p12");
        settings.put("spring.kafka.ssl.trust-store-password", "secret");
        settings.put("spring.cloud.stream.kafka.binder.required-acks", "all");
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", settings));
        Binder binder = Binder.get(environment);
        KafkaProperties kafka = binder.bind("spring.kafka", KafkaProperties.class).get();
        // as the binder's own configuration class builds it: from the application's KafkaProperties
        KafkaBinderConfigurationProperties binderProperties = new KafkaBinderConfigurationProperties(kafka,
                noConnectionDetails());
        binder.bind("spring.cloud.stream.kafka.binder", Bindable.ofInstance(binderProperties));

        Map<String, Object> producer = binderProperties.mergedProducerConfiguration();

        // the merged settings are laid over the binder's own brokers (which default to localhost): spring.kafka wins
        assertThat(producer.get("bootstrap.servers")).asString().contains("kafka-1.example:9093", "kafka-2.example:9093");
        assertThat(producer).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsKey("sasl.jaas.config")
                .containsKey("ssl.truststore.location")
                .containsEntry("ssl.truststore.password", "secret");
        assertThat(binderProperties.getRequiredAcks()).isEqualTo("all");
    }

    private static ObjectProvider<KafkaConnectionDetails> noConnectionDetails() {
        return new StaticListableBeanFactory().getBeanProvider(KafkaConnectionDetails.class);
    }
}

package io.streamfleet.support.kafka;

import io.streamfleet.support.streams.StreamsConfigFactory;
import io.streamfleet.support.streams.StreamsRuntimeProperties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every client's settings start from spring.kafka.*, bound as the services bind them (env-style keys included). */
class KafkaClientsTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"svc\" password=\"secret\";";

    private static KafkaClients secured() {
        MapConfigurationPropertySource source = new MapConfigurationPropertySource(Map.of(
                "spring.kafka.bootstrap-servers", "broker-1:9093,broker-2:9093",
                "spring.kafka.security.protocol", "SASL_SSL",
                "spring.kafka.properties.sasl.mechanism", "SCRAM-SHA-512",
                "spring.kafka.properties.sasl.jaas.config", JAAS,
                "spring.kafka.ssl.trust-store-location", "file:/etc/kafka/truststore.p12",
                "spring.kafka.ssl.trust-store-password", "changeit",
                "spring.kafka.ssl.trust-store-type", "PKCS12",
                "spring.kafka.producer.compression-type", "zstd",
                "spring.kafka.client-id", "gw"));
        KafkaProperties properties = new Binder(source).bindOrCreate("spring.kafka", Bindable.of(KafkaProperties.class));
        return KafkaClients.from(properties);
    }

    @Test
    void shouldGiveEveryKindOfClientTheSecuritySettingsOfSpringKafka() {
        KafkaClients clients = secured();

        for (Map<String, Object> config : java.util.List.of(clients.producerConfig(Map.of()),
                clients.consumerConfig(Map.of()), clients.adminConfig(Map.of()))) {
            assertThat(config).containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-512").containsEntry("sasl.jaas.config", JAAS)
                    .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.p12")
                    .containsEntry("ssl.truststore.type", "PKCS12");
            assertThat(String.valueOf(config.get("bootstrap.servers"))).contains("broker-1:9093", "broker-2:9093");
        }
        assertThat(clients.producerConfig(Map.of("acks", "all"))).containsEntry("compression.type", "zstd")
                .containsEntry("acks", "all");
    }

    @Test
    void shouldGiveKafkaStreamsAndTheAdminClientsItDerivesTheSameSecurity() {
        StreamsRuntimeProperties settings = new StreamsRuntimeProperties("app", null, "/tmp/kafka-clients-test", 1,
                Duration.ofMillis(100), (short) 1, 8 << 20, 2 << 20, "INFO", "", Duration.ofSeconds(10), Map.of());

        Properties props = StreamsConfigFactory.create(secured(), settings);
        StreamsConfig config = new StreamsConfig(props);

        assertThat(props).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(config.getAdminConfigs("admin")).containsEntry("sasl.jaas.config", JAAS)
                .containsEntry("security.protocol", "SASL_SSL");
        assertThat(config.getMainConsumerConfigs("app", "c", 0)).containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        assertThat(config.getProducerConfigs("p")).containsEntry("ssl.truststore.location",
                "/etc/kafka/truststore.p12");
    }

    @Test
    void shouldRefuseASecuritySettingFromCodeOrStreamfleetOverrides() {
        assertThatThrownBy(() -> secured().consumerConfig(Map.of("security.protocol", "PLAINTEXT")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spring.kafka");
        StreamsRuntimeProperties settings = new StreamsRuntimeProperties("app", null, "/tmp/kafka-clients-test", 1,
                Duration.ofMillis(100), (short) 1, 8 << 20, 2 << 20, "INFO", "", Duration.ofSeconds(10),
                Map.of("consumer.sasl.jaas.config", "other"));
        assertThatThrownBy(() -> StreamsConfigFactory.create(secured(), settings))
                .hasMessageContaining("consumer.sasl.jaas.config");
    }

    @Test
    void shouldNameEachClientAfterTheApplicationsClientId() {
        assertThat(secured().adminConfig(Map.of("client.id", "health-probe")))
                .containsEntry("client.id", "gw-health-probe");
        assertThat(KafkaClients.forBootstrapServers("localhost:9092").adminConfig(Map.of("client.id", "health-probe")))
                .containsEntry("client.id", "health-probe").doesNotContainKey("security.protocol");
    }
}

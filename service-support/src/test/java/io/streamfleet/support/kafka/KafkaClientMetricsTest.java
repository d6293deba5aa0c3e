package io.streamfleet.support.kafka;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every producer, consumer and admin client KafkaClients builds exports its Kafka metrics until it is closed. */
class KafkaClientMetricsTest {

    // nothing listens there: the clients are built and closed without ever reaching a broker
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final KafkaClients clients = KafkaClients.forBootstrapServers("127.0.0.1:1").withMetrics(registry);

    @Test
    void shouldBindProducerMetricsTaggedWithTheClientIdUntilTheProducerIsClosed() {
        KafkaProducer<byte[], byte[]> producer = clients.producer(Map.of("client.id", "metered-producer"),
                new ByteArraySerializer(), new ByteArraySerializer());

        assertThat(meters("kafka.producer.", "metered-producer")).isPositive();
        producer.close(Duration.ZERO);
        assertThat(meters("kafka.producer.", "metered-producer")).isZero();
    }

    @Test
    void shouldBindConsumerMetricsUntilTheConsumerIsClosed() {
        KafkaConsumer<byte[], byte[]> consumer = clients.consumer(Map.of("client.id", "metered-consumer",
                "group.id", "g"), new ByteArrayDeserializer(), new ByteArrayDeserializer());

        assertThat(meters("kafka.consumer.", "metered-consumer")).isPositive();
        consumer.close();
        assertThat(meters("kafka.consumer.", "metered-consumer")).isZero();
    }

    @Test
    void shouldBindAdminClientMetricsUntilTheAdminClientIsClosed() {
        Admin admin = clients.admin(Map.of("client.id", "metered-admin"));

        assertThat(meters("kafka.admin.client.", "metered-admin")).isPositive();
        admin.close(Duration.ZERO);
        assertThat(meters("kafka.admin.client.", "metered-admin")).isZero();
    }

    @Test
    void shouldBindNothingWhenNoRegistryIsGiven() {
        try (Admin admin = KafkaClients.forBootstrapServers("127.0.0.1:1").admin(Map.of("client.id", "plain"))) {
            assertThat(admin).isNotNull();
        }
        assertThat(registry.getMeters()).isEmpty();
    }

    private long meters(String prefix, String clientId) {
        return registry.getMeters().stream().map(Meter::getId)
                .filter(id -> id.getName().startsWith(prefix) && clientId.equals(id.getTag("client.id"))).count();
    }
}

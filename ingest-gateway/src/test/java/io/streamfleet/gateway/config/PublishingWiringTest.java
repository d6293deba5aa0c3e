package io.streamfleet.gateway.config;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.gateway.publishing.EventSink;
import io.streamfleet.gateway.publishing.ProgressBeacon;
import io.streamfleet.support.kafka.KafkaClients;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which producers the gateway builds: two by default, one when single events are told to share the batching one. The
 * producers are real but never connect (nothing is sent; progress marks are off here, ProgressRecordsIT has them).
 */
class PublishingWiringTest {

    private static ApplicationContextRunner gateway(String... settings) {
        Map<String, String> values = new HashMap<>(Map.of("streamfleet.gateway.progress.enabled", "false"));
        for (String setting : settings) {
            String[] pair = setting.split("=", 2);
            values.put(pair[0], pair[1]);
        }
        return new ApplicationContextRunner()
                .withUserConfiguration(PublishingConfiguration.class)
                .withPropertyValues(values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .toArray(String[]::new))
                .withBean(GatewayProperties.class, () -> new Binder(new MapConfigurationPropertySource(values))
                        .bindOrCreate("streamfleet.gateway", GatewayProperties.class))
                .withBean(KafkaClients.class, () -> KafkaClients.forBootstrapServers("127.0.0.1:9"))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean(CircuitBreakerRegistry.class, CircuitBreakerRegistry::ofDefaults)
                .withBean(BulkheadRegistry.class, BulkheadRegistry::ofDefaults);
    }

    @Test
    void shouldBuildASecondProducerForSingleEventsByDefault() {
        gateway().run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(PublishingConfiguration.SingleEventProducer.class)
                    .doesNotHaveBean(ProgressBeacon.class);
            assertThat(context.getBean(PublishingConfiguration.SingleEventProducer.class).producer())
                    .isNotSameAs(context.getBean("gatewayProducer"));
            assertThat(context).hasSingleBean(EventSink.class);
        });
    }

    @Test
    void shouldBuildOneProducerWhenSingleEventsShareTheBatchingOne() {
        gateway("streamfleet.gateway.publish.single-events.enabled=false").run(context -> {
            assertThat(context).hasNotFailed()
                    .doesNotHaveBean(PublishingConfiguration.SingleEventProducer.class);
            assertThat(context).hasSingleBean(EventSink.class);
        });
    }
}

package io.streamfleet.support.streams;

import io.micrometer.core.instrument.MeterRegistry;
import io.streamfleet.support.kafka.KafkaClients;
import io.streamfleet.support.kafka.KafkaClientsAutoConfiguration;
import org.apache.kafka.streams.Topology;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;


/**
 * Runs the application's {@link Topology} bean as a managed Kafka Streams client with readiness and liveness
 * indicators ({@code kafkaStreams}, {@code kafkaStreamsLiveness}) and Micrometer metrics.
 */
@AutoConfiguration(after = KafkaClientsAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnBean(Topology.class)
@EnableConfigurationProperties(StreamsRuntimeProperties.class)
public class StreamsSupportAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ManagedKafkaStreams managedKafkaStreams(Topology topology, StreamsRuntimeProperties settings,
                                            KafkaClients clients, MeterRegistry registry) {
        return new ManagedKafkaStreams(topology, settings, clients, registry);
    }

    @Bean
    KafkaStreamsReadiness kafkaStreamsHealthIndicator(ManagedKafkaStreams streams) {
        return new KafkaStreamsReadiness(streams);
    }

    @Bean
    KafkaStreamsLiveness kafkaStreamsLivenessHealthIndicator(ManagedKafkaStreams streams) {
        return new KafkaStreamsLiveness(streams);
    }
}

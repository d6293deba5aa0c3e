package io.streamfleet.support.streams;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.Topology;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import java.time.Clock;
import java.util.Map;

/**
 * Runs the application's {@link Topology} bean as a managed Kafka Streams client with readiness and liveness
 * indicators ({@code kafkaStreams}, {@code kafkaStreamsLiveness}) and Micrometer metrics.
 */
@AutoConfiguration(afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnBean(Topology.class)
@EnableConfigurationProperties({StreamsRuntimeProperties.class, UpstreamProperties.class,
        ReachabilityProperties.class})
public class StreamsSupportAutoConfiguration {

    /** Watches the upstream stage when {@code streamfleet.streams.upstream.group-id} is set. */
    @Bean(initMethod = "start", destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "streamfleet.streams.upstream", name = "group-id")
    UpstreamProgress upstreamProgress(UpstreamProperties upstream, StreamsRuntimeProperties settings,
                                      MeterRegistry registry) {
        Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000,
                AdminClientConfig.CLIENT_ID_CONFIG, settings.applicationId() + "-upstream-progress"));
        UpstreamProgress progress = new UpstreamProgress(admin, upstream, Clock.systemUTC());
        Gauge.builder("streamfleet.streams.upstream.lag", progress, UpstreamProgress::lag)
                .description("Input records the upstream stage has not committed (-1: not read yet)")
                .tag("upstream", upstream.groupId()).register(registry);
        Gauge.builder("streamfleet.streams.upstream.behind", progress, p -> p.behind() ? 1 : 0)
                .description("1 while the upstream stage is behind or unreadable: idle advance is held back")
                .tag("upstream", upstream.groupId()).register(registry);
        return progress;
    }

    /** Watches the leaders of the input partitions unless {@code streamfleet.streams.reachability.enabled=false}. */
    @Bean(initMethod = "start", destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "streamfleet.streams.reachability", name = "enabled", matchIfMissing = true)
    BrokerReachability brokerReachability(ReachabilityProperties reachability, StreamsRuntimeProperties settings,
                                          MeterRegistry registry) {
        Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(500, reachability.staleAfter().toMillis()),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.max(1_000,
                        2 * reachability.staleAfter().toMillis()),
                AdminClientConfig.CLIENT_ID_CONFIG, settings.applicationId() + "-broker-reachability"));
        BrokerReachability watch = new BrokerReachability(admin, reachability.refresh(), reachability.staleAfter(),
                System::currentTimeMillis);
        Gauge.builder("streamfleet.streams.input.unreachable", watch, BrokerReachability::unreachablePartitions)
                .description("Input partitions whose leader has not answered recently: their idle advance is held")
                .register(registry);
        return watch;
    }

    @Bean
    @ConditionalOnMissingBean
    ManagedKafkaStreams managedKafkaStreams(Topology topology, StreamsRuntimeProperties settings,
                                            MeterRegistry registry) {
        return new ManagedKafkaStreams(topology, settings, registry);
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

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
        InputWatchProperties.class})
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

    /** Watches the input partitions' log ends unless {@code streamfleet.streams.input-watch.enabled=false}. */
    @Bean(initMethod = "start", destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "streamfleet.streams.input-watch", name = "enabled", matchIfMissing = true)
    InputLogWatch inputLogWatch(InputWatchProperties watchSettings, StreamsRuntimeProperties settings,
                                MeterRegistry registry) {
        long stale = watchSettings.staleAfter().toMillis();
        Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(500, stale),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.max(1_000, 2 * stale),
                AdminClientConfig.CLIENT_ID_CONFIG, settings.applicationId() + "-input-log-watch"));
        InputLogWatch watch = new InputLogWatch(admin, watchSettings.refresh(), watchSettings.staleAfter(),
                watchSettings.quietAfter(), System::currentTimeMillis);
        Gauge.builder("streamfleet.streams.input.unreachable", watch, InputLogWatch::unreachablePartitions)
                .description("Input partitions whose leader has not answered recently: their idle advance is held")
                .register(registry);
        Gauge.builder("streamfleet.streams.input.appending", watch, InputLogWatch::appendingPartitions)
                .description("Input partitions whose log end moved within the quiet period: not idle")
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

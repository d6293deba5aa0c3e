package io.streamfleet.alerts.config;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamfleet.alerts.feed.AlertFeed;
import io.streamfleet.alerts.feed.AlertHub;
import io.streamfleet.alerts.feed.CatchUpReader;
import io.streamfleet.alerts.feed.EndOffsets;
import io.streamfleet.alerts.feed.FeedMetrics;
import io.streamfleet.alerts.history.index.HistoryIndex;
import io.streamfleet.alerts.intake.AlertDecoder;
import io.streamfleet.alerts.intake.AlertIntake;
import io.streamfleet.alerts.intake.TopicTail;
import io.streamfleet.alerts.security.ApiKeyOpenApi;
import io.streamfleet.alerts.security.ApiKeyWebFilter;
import io.streamfleet.support.kafka.KafkaClients;
import io.streamfleet.support.security.ApiKeyAuthenticator;
import io.streamfleet.support.security.ApiKeyProperties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The alert intake (one tail of the alert topics feeding history and the SSE hub), the feed, and API-key checks. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({AlertApiProperties.class, WebhookProperties.class, ApiKeyProperties.class})
class FeedConfiguration {

    @Bean
    AlertDecoder alertDecoder(AlertApiProperties properties, MeterRegistry registry) {
        return new AlertDecoder(properties.anomalyTopic(), properties.engagementTopic(), registry);
    }

    @Bean
    HistoryIndex historyIndex(AlertApiProperties properties, MeterRegistry registry) {
        HistoryIndex index = new HistoryIndex(properties.history().retention().toMillis(),
                properties.history().maxAlerts());
        Gauge.builder("streamfleet.alerts.history.size", index, HistoryIndex::size)
                .description("Alerts held by the history index").register(registry);
        return index;
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService historyPruner(HistoryIndex index) {
        ScheduledExecutorService pruner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "history-prune");
            thread.setDaemon(true);
            return thread;
        });
        pruner.scheduleWithFixedDelay(() -> index.prune(System.currentTimeMillis()), 1, 1, TimeUnit.MINUTES);
        return pruner;
    }

    @Bean
    AlertHub alertHub() {
        return new AlertHub();
    }

    @Bean
    FeedMetrics feedMetrics(MeterRegistry registry) {
        return new FeedMetrics(registry);
    }

    @Bean(destroyMethod = "close")
    TopicTail alertTail(AlertApiProperties properties, KafkaClients clients, AlertDecoder decoder,
                        HistoryIndex history, AlertHub hub) {
        long from = System.currentTimeMillis() - properties.history().retention().toMillis();
        TopicTail tail = new TopicTail("alerts", clients,
                List.of(properties.anomalyTopic(), properties.engagementTopic()), Math.max(1, from),
                new AlertIntake(decoder, history, hub, System::currentTimeMillis)).onAssigned(hub::onAssigned);
        tail.start();
        return tail;
    }

    @Bean(destroyMethod = "close")
    EndOffsets endOffsets(AlertApiProperties properties, KafkaClients clients) {
        Admin admin = clients.admin(Map.of(AdminClientConfig.CLIENT_ID_CONFIG, "alert-api-feed"));
        return new EndOffsets(admin, List.of(properties.anomalyTopic(), properties.engagementTopic()),
                Duration.ofSeconds(10));
    }

    @Bean
    AlertFeed alertFeed(AlertApiProperties properties, KafkaClients clients, AlertHub hub, AlertDecoder decoder,
                        EndOffsets endOffsets, FeedMetrics metrics) {
        CatchUpReader catchUp = new CatchUpReader(clients, decoder,
                properties.feed().stallTimeout());
        return new AlertFeed(hub, catchUp, endOffsets, properties.feed().settings(), metrics);
    }

    /**
     * Ends every SSE stream first on shutdown (highest phase, before the web server's graceful shutdown, which would
     * otherwise wait its whole timeout for streams that never end by themselves). The clients see the stream end and
     * reconnect with their last event id.
     */
    @Bean
    SmartLifecycle feedShutdown(AlertHub hub) {
        return ShutdownStep.first(hub::shutDown);
    }

    @Bean
    HealthIndicator alertIntakeHealthIndicator(TopicTail alertTail) {
        return () -> alertTail.isCaughtUp() ? Health.up().build()
                : Health.down().withDetail("reason", "reading the alert topics' retained history").build();
    }

    @Bean
    ApiKeyWebFilter apiKeyWebFilter(ApiKeyProperties keys) {
        return new ApiKeyWebFilter(new ApiKeyAuthenticator(keys.apiKeys()));
    }

    @Bean
    ApiKeyOpenApi apiKeyOpenApi() {
        return new ApiKeyOpenApi();
    }
}

package io.streamfleet.alerts.config;

import io.streamfleet.support.kafka.KafkaClients;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamfleet.alerts.intake.AlertDecoder;
import io.streamfleet.alerts.intake.TopicTail;
import io.streamfleet.alerts.webhook.AttemptLog;
import io.streamfleet.alerts.webhook.DeadLetters;
import io.streamfleet.alerts.webhook.SubscriptionStore;
import io.streamfleet.alerts.webhook.WebhookDelivery;
import io.streamfleet.alerts.webhook.WebhookDispatcher;
import io.streamfleet.alerts.webhook.WebhookMetrics;
import io.streamfleet.alerts.webhook.WebhookSettings;
import io.streamfleet.alerts.webhook.WebhookTopics;
import io.streamfleet.alerts.webhook.policy.TargetGuard;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.net.http.HttpClient;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Webhooks: subscriptions, attempt log and dead letters (each a topic plus an in-memory view), delivery, dispatch. The
 * circuit breakers live in Resilience4j's auto-configured registry, which also publishes their metrics.
 */
@Configuration(proxyBeanMethods = false)
class WebhookConfiguration {

    @Bean(destroyMethod = "close")
    WebhookTopics webhookTopics(KafkaClients clients) {
        return new WebhookTopics(clients);
    }

    @Bean
    TargetGuard targetGuard(WebhookProperties properties) {
        return TargetGuard.system(properties.allowPrivateTargets());
    }

    @Bean
    SubscriptionStore subscriptionStore(WebhookProperties properties, WebhookTopics topics, TargetGuard guard) {
        return new SubscriptionStore(properties.subscriptionsTopic(), topics, guard, System::currentTimeMillis);
    }

    @Bean(destroyMethod = "close")
    TopicTail subscriptionTail(KafkaClients clients, WebhookProperties properties, SubscriptionStore store) {
        TopicTail tail = new TopicTail("webhook-subscriptions", clients,
                List.of(properties.subscriptionsTopic()), 0, store::apply);
        tail.start();
        return tail;
    }

    @Bean
    AttemptLog attemptLog(WebhookProperties properties, WebhookTopics topics) {
        return new AttemptLog(properties.attemptsTopic(), topics, properties.attemptsPerSubscription());
    }

    @Bean(destroyMethod = "close")
    TopicTail attemptTail(KafkaClients clients, WebhookProperties properties, AttemptLog log) {
        TopicTail tail = new TopicTail("webhook-attempts", clients, List.of(properties.attemptsTopic()),
                since(properties), log::apply);
        tail.start();
        return tail;
    }

    @Bean
    DeadLetters deadLetters(WebhookProperties properties, WebhookTopics topics) {
        return new DeadLetters(properties.deadLetterTopic(), topics, properties.deadLettersPerSubscription());
    }

    @Bean(destroyMethod = "close")
    TopicTail deadLetterTail(KafkaClients clients, WebhookProperties properties, DeadLetters deadLetters) {
        TopicTail tail = new TopicTail("webhook-dead-letters", clients,
                List.of(properties.deadLetterTopic()), since(properties), deadLetters::apply);
        tail.start();
        return tail;
    }

    @Bean
    WebhookMetrics webhookMetrics(MeterRegistry registry, CircuitBreakerRegistry breakers, SubscriptionStore store) {
        return new WebhookMetrics(registry, breakers, store::count);
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService webhookScheduler(WebhookProperties properties) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newScheduledThreadPool(properties.deliveryThreads(), r -> {
            Thread thread = new Thread(r, "webhook-delivery-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    WebhookDelivery webhookDelivery(WebhookProperties properties, SubscriptionStore store, TargetGuard guard,
                                    CircuitBreakerRegistry breakers, AttemptLog attempts, DeadLetters deadLetters,
                                    WebhookMetrics metrics, ScheduledExecutorService webhookScheduler) {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return new WebhookDelivery(store, http, properties.retryPolicy(), guard, breakers,
                properties.circuit().config(), attempts, deadLetters, metrics, properties.requestTimeout(),
                webhookScheduler, properties.maxConcurrentPerEndpoint(), System::currentTimeMillis);
    }

    @Bean
    WebhookSettings webhookSettings(WebhookProperties properties) {
        return properties.settings();
    }

    @Bean(destroyMethod = "close")
    WebhookDispatcher webhookDispatcher(AlertApiProperties alerts, KafkaClients clients, WebhookProperties properties,
                                        AlertDecoder decoder, SubscriptionStore store, TopicTail subscriptionTail,
                                        WebhookDelivery delivery) {
        WebhookDispatcher dispatcher = new WebhookDispatcher(clients, properties.groupId(),
                properties.autoOffsetReset(), List.of(alerts.anomalyTopic(), alerts.engagementTopic()), decoder, store,
                subscriptionTail, delivery, properties.maxInFlightPerPartition(), System::currentTimeMillis);
        dispatcher.start();
        return dispatcher;
    }

    /**
     * Stops webhook work first on shutdown (highest phase, before the web server and the bean destruction): no retry
     * fires any more, and the dispatcher commits only what finished. A retry still pending is therefore delivered by
     * the next instance, instead of using up its attempts while the context closes.
     */
    @Bean
    SmartLifecycle webhookShutdown(WebhookDispatcher webhookDispatcher, ScheduledExecutorService webhookScheduler) {
        return ShutdownStep.first(() -> {
            webhookScheduler.shutdownNow();
            webhookDispatcher.close();
        });
    }

    private static long since(WebhookProperties properties) {
        return Math.max(1, System.currentTimeMillis() - properties.logRetention().toMillis());
    }
}

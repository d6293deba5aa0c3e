package io.streamfleet.alerts.web;

import io.streamfleet.alerts.console.PipelineHealth;
import io.streamfleet.alerts.console.SessionBaselines;
import io.streamfleet.alerts.evidence.EvidenceIndex;
import io.streamfleet.alerts.feed.AlertFeed;
import io.streamfleet.alerts.history.index.HistoryIndex;
import io.streamfleet.alerts.late.LateTopics;
import io.streamfleet.alerts.late.board.LateEventBoard;
import io.streamfleet.alerts.security.ApiKeyOpenApi;
import io.streamfleet.alerts.security.ApiKeyWebFilter;
import io.streamfleet.alerts.webhook.AttemptLog;
import io.streamfleet.alerts.webhook.DeadLetters;
import io.streamfleet.alerts.webhook.SubscriptionStore;
import io.streamfleet.alerts.webhook.WebhookDelivery;
import io.streamfleet.alerts.webhook.WebhookSettings;
import io.streamfleet.support.security.ApiKeyAuthenticator;
import io.streamfleet.support.security.ApiKeyProperties;
import io.streamfleet.support.security.Scopes;
import io.streamfleet.testkit.web.WithSpringDoc;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Every controller of alert-api with its API-key filter and error handling, over mocked stores: the web layer as the
 * service runs it, without Kafka.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@WebFluxTest
@WithSpringDoc
@Import(AlertApiWebContext.Beans.class)
@MockitoBean(types = {HistoryIndex.class, EvidenceIndex.class, SessionBaselines.class, PipelineHealth.class,
        AlertFeed.class, SubscriptionStore.class, AttemptLog.class, DeadLetters.class, WebhookDelivery.class})
public @interface AlertApiWebContext {

    /** A key with every scope. */
    String KEY = "web-test-key";
    /** A key with {@code alerts:read} only. */
    String READER_KEY = "web-test-reader";

    @TestConfiguration(proxyBeanMethods = false)
    class Beans {

        @Bean
        ApiKeyProperties apiKeyProperties() {
            return new ApiKeyProperties(List.of(new ApiKeyProperties.KeyEntry("reader",
                    ApiKeyAuthenticator.sha256Hex(READER_KEY), Set.of(Scopes.ALERTS_READ), 0)), KEY, 0);
        }

        @Bean
        ApiKeyWebFilter apiKeyWebFilter(ApiKeyProperties keys) {
            return new ApiKeyWebFilter(new ApiKeyAuthenticator(keys.apiKeys()));
        }

        @Bean
        ApiKeyOpenApi apiKeyOpenApi() {
            return new ApiKeyOpenApi();
        }

        @Bean
        LateEventBoard lateEventBoard() {
            return new LateEventBoard(Duration.ofMinutes(15).toMillis(), 1000);
        }

        @Bean
        LateTopics lateTopics() {
            return new LateTopics(List.of("orders.late", "engagement.late", "orders.cep.late"));
        }

        @Bean
        WebhookSettings webhookSettings() {
            return new WebhookSettings(Duration.ofHours(1), Duration.ofDays(1));
        }
    }
}

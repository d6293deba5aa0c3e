package io.streamfleet.alerts.config;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamfleet.alerts.console.PipelineHealth;
import io.streamfleet.alerts.console.SessionBaselines;
import io.streamfleet.alerts.evidence.EvidenceIndex;
import io.streamfleet.alerts.intake.EvidenceIntake;
import io.streamfleet.alerts.intake.TopicTail;
import io.streamfleet.support.kafka.KafkaClients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

import java.util.List;
import java.util.Map;

/** What the console's detail and overview views read: the evidence view, session baselines, pipeline health. */
@Configuration(proxyBeanMethods = false)
class ConsoleConfiguration {

    @Bean
    EvidenceIndex evidenceIndex(AlertApiProperties properties, MeterRegistry registry) {
        EvidenceIndex index = new EvidenceIndex(properties.console().evidenceMaxAlerts());
        Gauge.builder("streamfleet.alerts.evidence.alerts", index, EvidenceIndex::size)
                .description("Alerts whose matched orders the console can draw").register(registry);
        Gauge.builder("streamfleet.alerts.evidence.orders", index, EvidenceIndex::orders)
                .description("Matched orders held in memory for the console").register(registry);
        return index;
    }

    @Bean(destroyMethod = "close")
    TopicTail evidenceTail(AlertApiProperties properties, KafkaClients clients, EvidenceIndex index,
                           MeterRegistry registry) {
        Counter invalid = Counter.builder("streamfleet.alerts.evidence.invalid")
                .description("alerts.evidence records that could not be read (skipped)").register(registry);
        long from = System.currentTimeMillis() - properties.history().retention().toMillis();
        TopicTail tail = new TopicTail("evidence", clients, List.of(properties.console().evidenceTopic()),
                Math.max(1, from), new EvidenceIntake(index, invalid::increment));
        tail.start();
        return tail;
    }

    @Bean
    WebClient consoleWebClient() {
        return WebClient.builder().build();
    }

    @Bean
    SessionBaselines sessionBaselines(AlertApiProperties properties, WebClient consoleWebClient) {
        return new SessionBaselines(consoleWebClient, properties.console().sessionAnalyticsUrl(),
                properties.console().healthTimeout());
    }

    @Bean(destroyMethod = "close")
    Admin consoleAdmin(KafkaClients clients) {
        return clients.admin(Map.of(AdminClientConfig.CLIENT_ID_CONFIG, "alert-api-console"));
    }

    @Bean
    PipelineHealth pipelineHealth(AlertApiProperties properties, WebClient consoleWebClient, Admin consoleAdmin,
                                  TopicTail alertTail) {
        return new PipelineHealth(consoleWebClient, consoleAdmin,
                PipelineHealth.parseServices(properties.console().services()), properties.console().consumerGroups(),
                properties.console().healthTimeout(), alertTail::isCaughtUp);
    }
}

package io.streamfleet.gateway.config;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.gateway.admission.AdmissionControl;
import io.streamfleet.gateway.http.DryRun;
import io.streamfleet.gateway.http.LoopbackWarmUp;
import io.streamfleet.gateway.intake.EventIntake;
import io.streamfleet.gateway.intake.EventKind;
import io.streamfleet.gateway.publishing.DryRunSink;
import io.streamfleet.gateway.publishing.EventSink;
import io.streamfleet.gateway.publishing.GatewayMetrics;
import io.streamfleet.gateway.publishing.IngestService;
import io.streamfleet.gateway.security.RequestGuard;
import io.streamfleet.gateway.warmup.JvmEvidence;
import io.streamfleet.gateway.warmup.WarmUpDriver;
import io.streamfleet.gateway.warmup.WarmUpKey;
import io.streamfleet.gateway.warmup.WarmUpReport;
import io.streamfleet.gateway.warmup.WarmUpResult;
import io.streamfleet.support.kafka.KafkaClients;
import io.streamfleet.support.security.ApiKey;
import io.streamfleet.support.security.ApiKeyAuthenticator;
import io.streamfleet.support.security.ApiKeyProperties;
import io.streamfleet.support.security.Scopes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import reactor.core.scheduler.Scheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The dry-run routes' parts and the self-warm-up ({@code streamfleet.gateway.warm-up.*}, docs/ingest-gateway.md
 * "Self-warm-up"). The warm-up runs as an {@link ApplicationRunner}: after the web server started and liveness turned
 * UP, before Spring Boot publishes readiness (ACCEPTING_TRAFFIC follows only once every runner returned).
 */
@Configuration(proxyBeanMethods = false)
class WarmUpConfiguration {

    private static final Logger log = LoggerFactory.getLogger(WarmUpConfiguration.class);

    @Bean
    @ConditionalOnBooleanProperty(name = "streamfleet.gateway.warm-up.enabled")
    WarmUpKey warmUpKey() {
        return WarmUpKey.random();
    }

    /**
     * Dry runs: the real ingest path over a sink that sends nothing; a guard that knows the configured keys and the
     * warm-up's own; meters of their own (never exported), so no dry run counts as an accepted event.
     */
    @Bean
    DryRun dryRun(IngestService ingestService, ApiKeyProperties keys, ObjectProvider<WarmUpKey> warmUpKey,
                  RateLimiterRegistry rateLimiters, GatewayProperties properties) {
        List<ApiKey> known = new ArrayList<>(keys.apiKeys());
        warmUpKey.ifAvailable(key -> known.add(key.apiKey()));
        GatewayMetrics unexported = new GatewayMetrics(new SimpleMeterRegistry());
        DryRunSink sink = new DryRunSink(Map.of(EventKind.ORDER, properties.topics().orders(),
                EventKind.ENGAGEMENT, properties.topics().engagement()));
        // the same rate limiter registry: a client's dry runs are charged to its key's rate like its real requests
        RequestGuard guard = new RequestGuard(new ApiKeyAuthenticator(known), rateLimiters, Scopes.EVENTS_WRITE);
        return new DryRun(ingestService.over(sink, unexported), guard, unexported);
    }

    @Bean
    WarmUpReport warmUpReport(MeterRegistry registry) {
        WarmUpReport report = new WarmUpReport();
        Gauge.builder("streamfleet.gateway.warm.up.duration", report, WarmUpReport::seconds).baseUnit("seconds")
                .description("how long the self-warm-up before readiness ran (0: it did not run)").register(registry);
        Gauge.builder("streamfleet.gateway.warm.up.requests", report, r -> r.last().ok()).tag("outcome", "ok")
                .description("self-warm-up requests answered as expected").register(registry);
        Gauge.builder("streamfleet.gateway.warm.up.requests", report, r -> r.last().failed()).tag("outcome", "failed")
                .description("self-warm-up requests that failed").register(registry);
        for (WarmUpResult.Stop stop : WarmUpResult.Stop.values()) {
            Gauge.builder("streamfleet.gateway.warm.up.stopped", report, r -> r.last().stopped() == stop ? 1 : 0)
                    .tag("reason", stop.name().toLowerCase())
                    .description("1 for what ended the last self-warm-up: settled (its rate stopped rising and the "
                            + "JIT went quiet or its CPU per request stopped falling), time (max-time), requests (the request budget), not_run")
                    .register(registry);
        }
        Gauge.builder("streamfleet.gateway.warm.up.rate", report, r -> r.last().rate())
                .description("the self-warm-up's own request rate over its last windows when it ended, requests/s")
                .register(registry);
        Gauge.builder("streamfleet.gateway.warm.up.jit.busy", report, r -> r.last().jitBusyPercent())
                .baseUnit("percent")
                .description("JIT compile time over the self-warm-up's last windows, percent of their wall time")
                .register(registry);
        Gauge.builder("streamfleet.gateway.warm.up.cpu.per.request", report, r -> r.last().cpuMicrosPerRequest())
                .baseUnit("microseconds")
                .description("CPU time of the gateway's own threads per self-warm-up request over its last windows")
                .register(registry);
        return report;
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "streamfleet.gateway.warm-up.enabled")
    ApplicationRunner selfWarmUp(WarmUpKey key, WarmUpReport report, GatewayProperties properties,
                                 EventIntake intake, KafkaProducer<String, byte[]> producer,
                                 ObjectProvider<PublishingConfiguration.SingleEventProducer> singleEvents,
                                 Scheduler kafkaSendScheduler, KafkaClients clients, Environment environment) {
        return args -> {
            GatewayProperties.WarmUp settings = properties.warmUp();
            Integer port = environment.getProperty("local.server.port", Integer.class);
            if (port == null) {
                log.warn("self-warm-up skipped: the web server's port is unknown");
                return;
            }
            EventSink warmUpTopic = settings.warmsProducer() && topicReady(clients, settings.topic())
                    ? warmUpTopicSink(producer, singleEvents.getIfAvailable(), kafkaSendScheduler, properties) : null;
            WarmUpResult result;
            try (LoopbackWarmUp warmUp = new LoopbackWarmUp(port, key, settings.concurrency(), intake, warmUpTopic,
                    properties.websocket().dryRunPath())) {
                result = new WarmUpDriver(System::nanoTime).run(settings.budget(), settings.settleRule(),
                        JvmEvidence.ofThisJvm(), warmUp::step);
            } finally {
                key.forget();
            }
            report.ended(result, System.nanoTime());
            log.info("self-warm-up done in {} ms before reporting ready, ended by {}: {} requests sent ({} ok, {} "
                            + "failed), {} req/s over its last windows, JIT busy {} %, CPU per request {} µs (settle {}; "
                            + "bounds {} requests / {} ms), producer {}", result.took().toMillis(),
                    result.stopped().name().toLowerCase(), result.sent(), result.ok(), result.failed(),
                    rounded(result.rate()), rounded(result.jitBusyPercent()), rounded(result.cpuMicrosPerRequest()),
                    settings.settle().enabled() ? "on" : "off", settings.requests(), settings.maxTime().toMillis(),
                    warmUpTopic == null ? "not warmed" : "warmed through topic " + settings.topic());
        };
    }

    private static Object rounded(double value) {
        return Double.isNaN(value) ? "n/a" : Math.round(value);
    }

    /**
     * The warm-up's events go through a sink built as the real one (admission, bulkhead, breaker, the Kafka sinks over
     * the real producers) but with instances and meters of its own, so nothing of it is left in the real ones' state.
     */
    private static EventSink warmUpTopicSink(KafkaProducer<String, byte[]> producer,
                                             PublishingConfiguration.SingleEventProducer singleEvents,
                                             Scheduler sendScheduler, GatewayProperties properties) {
        GatewayProperties.Publish publish = properties.publish();
        String topic = properties.warmUp().topic();
        return PublishingConfiguration.publishingChain(producer, singleEvents,
                Map.of(EventKind.ORDER, topic, EventKind.ENGAGEMENT, topic), sendScheduler,
                CircuitBreaker.ofDefaults("warm-up"),
                Bulkhead.of("warm-up", BulkheadConfig.custom().maxConcurrentCalls(publish.maxConcurrentCalls())
                        .maxWaitDuration(Duration.ZERO).build()),
                new AdmissionControl(publish.admission(), System::nanoTime), publish,
                new GatewayMetrics(new SimpleMeterRegistry()));
    }

    /** Creates the warm-up topic (one partition) when missing; false when that fails: the producer is not warmed. */
    private static boolean topicReady(KafkaClients clients, String topic) {
        try (Admin admin = clients.admin(Map.of())) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())
                    .configs(Map.of("retention.ms", "3600000", "segment.ms", "600000")))).all().get(10, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return true;
            }
            log.warn("self-warm-up: topic {} could not be created ({}); warming the HTTP path only", topic,
                    e.getCause().toString());
            return false;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.warn("self-warm-up: topic {} could not be created ({}); warming the HTTP path only", topic,
                    e.toString());
            return false;
        }
    }
}

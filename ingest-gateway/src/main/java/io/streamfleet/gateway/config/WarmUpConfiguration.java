package io.streamfleet.gateway.config;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationPredicate;
import io.streamfleet.gateway.http.SelfWarmUp;
import io.streamfleet.gateway.intake.EventIntake;
import io.streamfleet.gateway.publishing.GatewayMetrics;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import reactor.core.scheduler.Scheduler;

import java.time.Duration;

/**
 * The self-warm-up ({@code streamfleet.gateway.warm-up.*}). Its requests go through the real controller into a copy of
 * the ingest path whose sink is built exactly as the real one but over Kafka's {@link MockProducer} (completes every
 * send at once, keeps nothing after the run), with its own meters: no record reaches a broker and no gateway meter
 * counts a warm-up request. It runs as an {@link ApplicationRunner}: after the web server started, before Spring Boot
 * reports the application ready (readiness turns UP only after every runner returned).
 */
@Configuration(proxyBeanMethods = false)
class WarmUpConfiguration {

    private static final Logger log = LoggerFactory.getLogger(WarmUpConfiguration.class);

    @Bean
    SelfWarmUp selfWarmUp(GatewayProperties properties, EventIntake intake, Scheduler kafkaSendScheduler) {
        if (!properties.warmUp().enabled()) {
            return SelfWarmUp.none();
        }
        GatewayMetrics throwawayMetrics = new GatewayMetrics(new SimpleMeterRegistry());
        MockProducer<String, byte[]> discard = new MockProducer<>(Cluster.empty(), true, null,
                new StringSerializer(), new ByteArraySerializer());
        return new SelfWarmUp(PublishingConfiguration.service(intake,
                PublishingConfiguration.sink(discard, kafkaSendScheduler, CircuitBreaker.ofDefaults("warm-up"),
                        Bulkhead.of("warm-up", BulkheadConfig.custom()
                                .maxConcurrentCalls(properties.publish().maxConcurrentCalls())
                                .maxWaitDuration(Duration.ZERO).build()), properties, throwawayMetrics),
                throwawayMetrics, properties));
    }

    @Bean
    ApplicationRunner selfWarmUpRunner(SelfWarmUp selfWarmUp, GatewayProperties properties, Environment environment) {
        return args -> {
            GatewayProperties.WarmUp settings = properties.warmUp();
            Integer port = environment.getProperty("local.server.port", Integer.class);
            if (!settings.enabled() || port == null) {
                return;
            }
            SelfWarmUp.Result result = selfWarmUp.run(port, settings.requests(), settings.concurrency(),
                    settings.maxTime());
            log.info("self-warm-up: {} requests ({} answered 202) in {} ms before reporting ready", result.sent(),
                    result.accepted(), result.took().toMillis());
        };
    }

    /** Keeps the warm-up's own requests out of http.server.requests. */
    @Bean
    ObservationPredicate warmUpRequestsUnobserved(SelfWarmUp selfWarmUp) {
        return (name, context) -> !(context instanceof ServerRequestObservationContext request
                && selfWarmUp.admits(request.getCarrier().getHeaders()));
    }
}

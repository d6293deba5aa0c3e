package io.streamfleet.gateway.config;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamfleet.gateway.admission.AdmissionControl;
import io.streamfleet.gateway.intake.EventIntake;
import io.streamfleet.gateway.intake.EventKind;
import io.streamfleet.gateway.publishing.AdmittingEventSink;
import io.streamfleet.gateway.publishing.EventSink;
import io.streamfleet.gateway.publishing.GatewayMetrics;
import io.streamfleet.gateway.publishing.IngestService;
import io.streamfleet.gateway.publishing.KafkaEventSink;
import io.streamfleet.gateway.publishing.LaneRouter;
import io.streamfleet.gateway.publishing.ProgressBeacon;
import io.streamfleet.gateway.publishing.PublishLane;
import io.streamfleet.gateway.publishing.ResilientEventSink;
import io.streamfleet.gateway.publishing.RetryAfterPolicy;
import io.streamfleet.support.kafka.KafkaClients;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The producers, the resilience around them and the shared ingest path. */
@Configuration(proxyBeanMethods = false)
class PublishingConfiguration {

    static final String RESILIENCE_NAME = "kafka-publish";

    @Bean
    GatewayMetrics gatewayMetrics(MeterRegistry registry) {
        return new GatewayMetrics(registry);
    }

    @Bean
    EventIntake eventIntake(GatewayProperties properties) {
        return new EventIntake(properties.limits());
    }

    @Bean(destroyMethod = "")
    KafkaProducer<String, byte[]> gatewayProducer(GatewayProperties properties, KafkaClients clients) {
        return clients.producer(producerConfig(properties.publish()), new StringSerializer(),
                new ByteArraySerializer());
    }

    /** Closes the producer after the web server drained: pending sends get a bounded time to complete. */
    @Bean
    DisposableBean gatewayProducerCloser(KafkaProducer<String, byte[]> producer, GatewayProperties properties) {
        return () -> producer.close(properties.publish().sendTimeout());
    }

    /**
     * Progress marks through the events' producer. Closed after the web server drained (singletons are destroyed
     * once the server stopped), so its leaving mark follows every accepted event; and, as it depends on the closer,
     * before the producer is closed.
     */
    @Bean(initMethod = "start", destroyMethod = "close")
    @DependsOn("gatewayProducerCloser")
    @ConditionalOnBooleanProperty(name = "streamfleet.gateway.progress.enabled", matchIfMissing = true)
    ProgressBeacon progressBeacon(KafkaProducer<String, byte[]> producer, GatewayProperties properties,
                                  GatewayMetrics metrics) {
        return beacon(producer, PublishLane.BATCHES, properties, metrics);
    }

    /** The producer of HTTP requests with one event; its own type keeps the batching one the only producer bean. */
    record SingleEventProducer(KafkaProducer<String, byte[]> producer) {
    }

    /** The second producer and its marks, unless single events are told to share the batching producer. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "streamfleet.gateway.publish.single-events.enabled", matchIfMissing = true)
    static class SingleEventLane {

        @Bean
        SingleEventProducer singleEventProducer(GatewayProperties properties, KafkaClients clients) {
            return new SingleEventProducer(clients.producer(singleEventProducerConfig(properties.publish()),
                    new StringSerializer(), new ByteArraySerializer()));
        }

        /** As {@link #gatewayProducerCloser}: after the web server drained. */
        @Bean
        DisposableBean singleEventProducerCloser(SingleEventProducer single, GatewayProperties properties) {
            return () -> single.producer().close(properties.publish().sendTimeout());
        }

        /** As {@link #progressBeacon}, under a writer id of its own: its marks follow only this producer's events. */
        @Bean(initMethod = "start", destroyMethod = "close")
        @DependsOn("singleEventProducerCloser")
        @ConditionalOnBooleanProperty(name = "streamfleet.gateway.progress.enabled", matchIfMissing = true)
        ProgressBeacon singleEventProgressBeacon(SingleEventProducer single, GatewayProperties properties,
                                                 GatewayMetrics metrics) {
            return beacon(single.producer(), PublishLane.SINGLE_EVENTS, properties, metrics);
        }
    }

    private static ProgressBeacon beacon(KafkaProducer<String, byte[]> producer, PublishLane lane,
                                         GatewayProperties properties, GatewayMetrics metrics) {
        GatewayProperties.Progress progress = properties.progress();
        return new ProgressBeacon(producer, List.of(properties.topics().orders(), properties.topics().engagement()),
                lane.writerId(progress.instanceId()), progress.interval(), System::currentTimeMillis, metrics, lane);
    }

    @Bean(destroyMethod = "dispose")
    Scheduler kafkaSendScheduler() {
        return Schedulers.newBoundedElastic(4, 100_000, "kafka-send");
    }

    @Bean
    CircuitBreaker kafkaPublishCircuitBreaker(CircuitBreakerRegistry registry, GatewayProperties properties) {
        GatewayProperties.Publish p = properties.publish();
        return registry.circuitBreaker(RESILIENCE_NAME, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(p.slidingWindow())
                .minimumNumberOfCalls(p.minimumCalls())
                .failureRateThreshold(p.failureRateThreshold())
                .slowCallDurationThreshold(p.slowCallThreshold())
                .slowCallRateThreshold(p.slowCallRateThreshold())
                .waitDurationInOpenState(p.openFor())
                .permittedNumberOfCallsInHalfOpenState(p.halfOpenCalls())
                .build());
    }

    @Bean
    Bulkhead kafkaPublishBulkhead(BulkheadRegistry registry, GatewayProperties properties) {
        return registry.bulkhead(RESILIENCE_NAME, BulkheadConfig.custom()
                .maxConcurrentCalls(properties.publish().maxConcurrentCalls())
                .maxWaitDuration(Duration.ZERO)
                .build());
    }

    @Bean
    EventSink eventSink(KafkaProducer<String, byte[]> producer, ObjectProvider<SingleEventProducer> singleEvents,
                        Scheduler kafkaSendScheduler, CircuitBreaker kafkaPublishCircuitBreaker,
                        Bulkhead kafkaPublishBulkhead, AdmissionControl admissionControl,
                        GatewayProperties properties, GatewayMetrics metrics) {
        Map<EventKind, String> topics = Map.of(EventKind.ORDER, properties.topics().orders(),
                EventKind.ENGAGEMENT, properties.topics().engagement());
        return publishingChain(producer, singleEvents.getIfAvailable(), topics, kafkaSendScheduler,
                kafkaPublishCircuitBreaker, kafkaPublishBulkhead, admissionControl, properties.publish(), metrics);
    }

    /**
     * The publishing chain, one home for its order (the self-warm-up builds a second one over its own topic):
     * admission outermost, so a refused publish reaches neither the breaker's statistics nor the producer; then the
     * breaker and bulkhead, shared by both producers; then the Kafka sink of the publish's lane.
     *
     * @param singleEvents the single-event producer; null: single events take the batching one
     */
    static EventSink publishingChain(KafkaProducer<String, byte[]> producer, SingleEventProducer singleEvents,
                                     Map<EventKind, String> topics, Scheduler sendScheduler, CircuitBreaker breaker,
                                     Bulkhead bulkhead, AdmissionControl admission,
                                     GatewayProperties.Publish publish, GatewayMetrics metrics) {
        // the producer decides first (delivery.timeout.ms = send timeout); the answer deadline is a backstop
        Duration answerWithin = publish.sendTimeout().plusMillis(500);
        EventSink kafka = new KafkaEventSink(producer, topics, sendScheduler, answerWithin, metrics,
                inlineBytes(publish), PublishLane.BATCHES);
        if (singleEvents != null) {
            kafka = new LaneRouter(kafka, new KafkaEventSink(singleEvents.producer(), topics, sendScheduler,
                    answerWithin, metrics, inlineBytes(publish), PublishLane.SINGLE_EVENTS));
        }
        return new AdmittingEventSink(new ResilientEventSink(kafka, breaker, bulkhead), admission, metrics);
    }

    @Bean
    AdmissionControl admissionControl(GatewayProperties properties, GatewayMetrics metrics) {
        AdmissionControl admission = new AdmissionControl(properties.publish().admission(), System::nanoTime);
        metrics.admission(admission);
        return admission;
    }

    @Bean
    IngestService ingestService(EventIntake intake, EventSink sink, GatewayMetrics metrics,
                                GatewayProperties properties, AdmissionControl admissionControl) {
        RetryAfterPolicy retryAfter = new RetryAfterPolicy(properties.publish().openFor(),
                properties.publish().saturatedRetryAfter(), properties.publish().overloadedRetryAfter());
        return new IngestService(intake, sink, metrics, retryAfter, Clock.systemUTC(), admissionControl);
    }

    /** Half the producer's buffer: below it a send on the caller's thread cannot block on a full buffer. */
    static long inlineBytes(GatewayProperties.Publish publish) {
        String configured = publish.producer().get(ProducerConfig.BUFFER_MEMORY_CONFIG);
        long buffer = configured == null ? DEFAULT_BUFFER_MEMORY : Long.parseLong(configured.trim());
        return buffer / 2;
    }

    private static final long DEFAULT_BUFFER_MEMORY = 32L * 1024 * 1024;

    /** The batching producer's settings. */
    static Map<String, Object> producerConfig(GatewayProperties.Publish publish) {
        return producerConfig(publish, PublishLane.BATCHES, publish.linger(), publish.maxInFlightRequests());
    }

    /**
     * The single-event producer's: its own linger and requests in flight, and the batching one's client id with a
     * suffix, so the two never share one (client metrics and broker quotas go by it).
     */
    static Map<String, Object> singleEventProducerConfig(GatewayProperties.Publish publish) {
        return producerConfig(publish, PublishLane.SINGLE_EVENTS, publish.singleEvents().linger(),
                publish.singleEvents().maxInFlightRequests());
    }

    /** What the gateway's promises need, over spring.kafka.* (connection and security come from there). */
    private static Map<String, Object> producerConfig(GatewayProperties.Publish publish, PublishLane lane,
                                                      Duration lingerFor, int maxInFlightRequests) {
        long timeout = publish.sendTimeout().toMillis();
        long linger = lingerFor.toMillis();
        Map<String, Object> config = new HashMap<>(publish.producer());
        String clientId = String.valueOf(config.getOrDefault(ProducerConfig.CLIENT_ID_CONFIG, "ingest-gateway"));
        config.put(ProducerConfig.CLIENT_ID_CONFIG, lane.writerId(clientId));
        config.put(ProducerConfig.LINGER_MS_CONFIG, (int) linger);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) (timeout - linger));
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) Math.min(timeout / 2, 2_000));
        // durability is not configurable: acks=all and idempotence are what every 2xx promises
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // with linger 0 a record waits only for the produce requests before it, not for a timer (lower latency, more
        // and smaller requests); set after publish.producer so that map cannot bypass the range check
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, maxInFlightRequests);
        return config;
    }
}

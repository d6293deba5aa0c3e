package io.streamfleet.session.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.streamfleet.session.query.BaselineQueryService;
import io.streamfleet.session.topology.SessionMetrics;
import io.streamfleet.session.topology.SessionTopology;
import io.streamfleet.support.query.InteractiveQueries;
import io.streamfleet.support.streams.ManagedKafkaStreams;
import org.apache.kafka.streams.Topology;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

/** Builds the session topology from {@link SessionProperties}; service-support runs it under exactly-once. */
@Configuration(proxyBeanMethods = false)
class SessionConfiguration {

    @Bean
    SessionMetrics sessionMetrics(MeterRegistry registry) {
        return new SessionMetrics(registry);
    }

    @Bean
    Topology sessionTopology(SessionProperties properties, SessionMetrics metrics) {
        return SessionTopology.build(properties.topics(), properties.settings(), metrics);
    }

    @Bean
    BaselineQueryService baselineQueryService(ManagedKafkaStreams streams, SessionProperties properties) {
        return new BaselineQueryService(new InteractiveQueries(streams, WebClient.create(),
                properties.queryForwardTimeout()));
    }
}

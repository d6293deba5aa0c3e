package io.streamfleet.support.streams;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Liveness: DOWN only when the client is beyond recovery (a stream thread died, the client went to ERROR), so a
 * rebalance or a long state restore never gets the instance killed.
 */
public class KafkaStreamsLiveness implements HealthIndicator {

    private final ManagedKafkaStreams streams;

    public KafkaStreamsLiveness(ManagedKafkaStreams streams) {
        this.streams = streams;
    }

    @Override
    public Health health() {
        KafkaStreams.State state = streams.state();
        boolean failed = state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                || streams.fatalError() != null;
        return (failed ? Health.down() : Health.up()).withDetail("state", state.name()).build();
    }
}

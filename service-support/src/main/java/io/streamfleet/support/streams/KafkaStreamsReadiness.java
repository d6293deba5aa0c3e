package io.streamfleet.support.streams;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import java.util.Map;

/**
 * Readiness: ready only while the client is RUNNING (not while it rebalances or restores state), DOWN once it failed
 * or stopped. While state is restored the details say how much is left ({@code restoring}).
 */
public class KafkaStreamsReadiness implements HealthIndicator {

    private final ManagedKafkaStreams streams;

    public KafkaStreamsReadiness(ManagedKafkaStreams streams) {
        this.streams = streams;
    }

    @Override
    public Health health() {
        KafkaStreams.State state = streams.state();
        // a dead stream thread is recorded before the client leaves RUNNING: not ready from that moment on
        Health.Builder health = streams.fatalError() != null ? Health.down() : switch (state) {
            case RUNNING -> Health.up();
            case CREATED, REBALANCING -> Health.status(Status.OUT_OF_SERVICE);
            case PENDING_SHUTDOWN, NOT_RUNNING, PENDING_ERROR, ERROR -> Health.down();
        };
        health.withDetail("state", state.name()).withDetail("applicationId", streams.settings().applicationId());
        RestoreProgress.Snapshot restore = streams.restoreProgress();
        if (restore.partitions() > 0) {
            health.withDetail("restoring", Map.of("partitions", restore.partitions(),
                    "remainingRecords", restore.remainingRecords()));
        }
        if (streams.fatalError() != null) {
            health.withDetail("error", String.valueOf(streams.fatalError().getMessage()));
        }
        return health.build();
    }
}

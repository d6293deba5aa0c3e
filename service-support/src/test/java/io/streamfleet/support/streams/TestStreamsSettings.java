package io.streamfleet.support.streams;

import io.streamfleet.testkit.kafka.SharedKafkaBroker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Streams runtime settings for the module's real-broker tests: one thread, small RocksDB bounds, 100 ms commits. */
final class TestStreamsSettings {

    private TestStreamsSettings() {
    }

    static StreamsRuntimeProperties of(String applicationId, Path stateDir) {
        return new StreamsRuntimeProperties(applicationId, SharedKafkaBroker.bootstrapServers(), stateDir.toString(), 1,
                Duration.ofMillis(100), (short) 1, 8 * 1024 * 1024, 2 * 1024 * 1024, "INFO", "",
                Duration.ofSeconds(10), Map.of());
    }

    /**
     * {@link #of} for a test that restarts its member: otherwise the restarted member waits out the previous one's
     * 45 s session (Streams does not leave the group on close).
     */
    static StreamsRuntimeProperties restartable(String applicationId, Path stateDir) {
        return of(applicationId, stateDir)
                .withOverrides(Map.of("consumer.session.timeout.ms", "6000", "consumer.heartbeat.interval.ms", "1000"));
    }
}

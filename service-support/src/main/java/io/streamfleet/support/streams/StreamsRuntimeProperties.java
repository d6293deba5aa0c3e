package io.streamfleet.support.streams;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.Map;

/**
 * Settings every Kafka Streams service shares ({@code streamfleet.streams.*}).
 *
 * @param applicationId          Kafka Streams application id (consumer group, changelog prefix)
 * @param bootstrapServers       Kafka bootstrap servers
 * @param stateDir               where RocksDB state lives; keep it on a persistent volume
 * @param threads                stream threads per instance
 * @param commitInterval         commit (transaction) interval; bounds end-to-end latency under exactly-once
 * @param replicationFactor      replication of internal topics (changelogs, repartitions)
 * @param rocksdbOffHeapBytes    bound on all RocksDB block cache + memtables of the process
 * @param rocksdbMemtableBytes   part of that bound usable by memtables
 * @param metricsRecordingLevel  INFO or DEBUG (DEBUG adds task, processor and RocksDB metrics)
 * @param applicationServer      host:port advertised for interactive queries (empty: none)
 * @param closeTimeout           how long a graceful shutdown waits for the streams client
 * @param overrides              any further Kafka Streams settings, verbatim
 */
@ConfigurationProperties("streamfleet.streams")
public record StreamsRuntimeProperties(
        String applicationId,
        @DefaultValue("localhost:9092") String bootstrapServers,
        String stateDir,
        @DefaultValue("1") int threads,
        @DefaultValue("100ms") Duration commitInterval,
        @DefaultValue("1") short replicationFactor,
        @DefaultValue("67108864") long rocksdbOffHeapBytes,
        @DefaultValue("16777216") long rocksdbMemtableBytes,
        @DefaultValue("INFO") String metricsRecordingLevel,
        @DefaultValue("") String applicationServer,
        @DefaultValue("30s") Duration closeTimeout,
        Map<String, String> overrides) {

    public StreamsRuntimeProperties {
        overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
    }
}

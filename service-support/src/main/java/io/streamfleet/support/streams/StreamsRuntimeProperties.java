package io.streamfleet.support.streams;

import io.streamfleet.support.rocksdb.BoundedMemoryRocksDbConfig;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Settings every Kafka Streams service shares ({@code streamfleet.streams.*}).
 *
 * @param applicationId          Kafka Streams application id (consumer group, changelog prefix)
 * @param bootstrapServers       Kafka bootstrap servers when they differ from {@code spring.kafka.bootstrap-servers}
 *                               (unset in the services: spring.kafka.* is the one source, security included)
 * @param stateDir               where RocksDB state lives; keep it on a persistent volume
 * @param threads                stream threads per instance
 * @param commitInterval         commit (transaction) interval; bounds end-to-end latency under exactly-once
 * @param replicationFactor      replication of internal topics (changelogs, repartitions)
 * @param rocksdbOffHeapBytes    bound on all RocksDB block cache + memtables of the process (default 128 MiB)
 * @param rocksdbMemtableBytes   part of that bound usable by memtables (default 64 MiB). All stores of the process
 *                               share it; too small a budget flushes small memtables every few seconds and the
 *                               compactions they cause cost more CPU than the stream thread at 20 000 events/s
 *                               (docs/stream-processor.md, RocksDB memtable budget)
 * @param metricsRecordingLevel  INFO or DEBUG (DEBUG adds task, processor and RocksDB metrics)
 * @param applicationServer      host:port advertised for interactive queries (empty: none)
 * @param closeTimeout           how long a graceful shutdown waits for the streams client
 * @param overrides              any further Kafka Streams settings, verbatim; they win over every default here
 * @param instanceId             this instance's static group membership id (unset: dynamic membership); must be
 *                               unique among the instances of the application and stable across its restarts
 *                               (launcher: the service name, Helm: the pod name; docs/recovery.md)
 * @param threadReplacement      how many dead stream threads are replaced in-process before the client shuts down
 * @param wipeAfterUncleanShutdown wipe all local state at start when the previous run did not close cleanly
 *                               (default off). Not needed since Kafka Streams 4.4: the stores are transactional
 *                               ({@code enable.transactional.statestores}), so a crash loses only the writes since
 *                               the last commit, which are replayed; nothing has to be restored (docs/recovery.md).
 *                               State written by a release before 4.3 is still wiped after an unclean end.
 */
@ConfigurationProperties("streamfleet.streams")
public record StreamsRuntimeProperties(
        String applicationId,
        String bootstrapServers,
        String stateDir,
        @DefaultValue("1") int threads,
        @DefaultValue("100ms") Duration commitInterval,
        @DefaultValue("1") short replicationFactor,
        @DefaultValue(BoundedMemoryRocksDbConfig.DEFAULT_OFF_HEAP) long rocksdbOffHeapBytes,
        @DefaultValue(BoundedMemoryRocksDbConfig.DEFAULT_MEMTABLES) long rocksdbMemtableBytes,
        @DefaultValue("INFO") String metricsRecordingLevel,
        @DefaultValue("") String applicationServer,
        @DefaultValue("30s") Duration closeTimeout,
        Map<String, String> overrides,
        String instanceId,
        @DefaultValue ThreadReplacement threadReplacement,
        @DefaultValue(StreamsRuntimeProperties.WIPE_AFTER_UNCLEAN_SHUTDOWN) boolean wipeAfterUncleanShutdown) {

    /** Default of {@link #wipeAfterUncleanShutdown()}, for binding and for settings built in code. */
    static final String WIPE_AFTER_UNCLEAN_SHUTDOWN = "false";

    @ConstructorBinding
    public StreamsRuntimeProperties {
        overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
        threadReplacement = threadReplacement == null ? ThreadReplacement.DEFAULT : threadReplacement;
    }

    /**
     * {@code streamfleet.streams.thread-replacement.*}: a stream thread that dies is replaced in-process up to
     * {@code maxReplacements} times within {@code window}; beyond that the client shuts down and liveness turns DOWN
     * ({@link ThreadReplacementBudget}, docs/recovery.md).
     */
    public record ThreadReplacement(@DefaultValue("3") int maxReplacements, @DefaultValue("10m") Duration window) {

        public static final ThreadReplacement DEFAULT = new ThreadReplacement(3, Duration.ofMinutes(10));

        /** A fresh budget with these limits (one per client). */
        public ThreadReplacementBudget budget() {
            return new ThreadReplacementBudget(maxReplacements, window);
        }
    }

    /** Settings without thread-replacement and wipe settings (the defaults apply). */
    public StreamsRuntimeProperties(String applicationId, String bootstrapServers, String stateDir, int threads,
                                    Duration commitInterval, short replicationFactor, long rocksdbOffHeapBytes,
                                    long rocksdbMemtableBytes, String metricsRecordingLevel, String applicationServer,
                                    Duration closeTimeout, Map<String, String> overrides, String instanceId) {
        this(applicationId, bootstrapServers, stateDir, threads, commitInterval, replicationFactor, rocksdbOffHeapBytes,
                rocksdbMemtableBytes, metricsRecordingLevel, applicationServer, closeTimeout, overrides, instanceId,
                ThreadReplacement.DEFAULT, Boolean.parseBoolean(WIPE_AFTER_UNCLEAN_SHUTDOWN));
    }

    /** Dynamic membership, as before instance ids existed (kept for callers that build settings in code). */
    public StreamsRuntimeProperties(String applicationId, String bootstrapServers, String stateDir, int threads,
                                    Duration commitInterval, short replicationFactor, long rocksdbOffHeapBytes,
                                    long rocksdbMemtableBytes, String metricsRecordingLevel, String applicationServer,
                                    Duration closeTimeout, Map<String, String> overrides) {
        this(applicationId, bootstrapServers, stateDir, threads, commitInterval, replicationFactor, rocksdbOffHeapBytes,
                rocksdbMemtableBytes, metricsRecordingLevel, applicationServer, closeTimeout, overrides, null);
    }

    /** The same settings as a static member named {@code id}. */
    public StreamsRuntimeProperties withInstanceId(String id) {
        return new StreamsRuntimeProperties(applicationId, bootstrapServers, stateDir, threads, commitInterval,
                replicationFactor, rocksdbOffHeapBytes, rocksdbMemtableBytes, metricsRecordingLevel, applicationServer,
                closeTimeout, overrides, id, threadReplacement, wipeAfterUncleanShutdown);
    }

    /** The same settings with {@code more} added to the overrides (a key present in both: {@code more} wins). */
    public StreamsRuntimeProperties withOverrides(Map<String, String> more) {
        Map<String, String> merged = new HashMap<>(overrides);
        merged.putAll(more);
        return new StreamsRuntimeProperties(applicationId, bootstrapServers, stateDir, threads, commitInterval,
                replicationFactor, rocksdbOffHeapBytes, rocksdbMemtableBytes, metricsRecordingLevel, applicationServer,
                closeTimeout, merged, instanceId, threadReplacement, wipeAfterUncleanShutdown);
    }

    /** The same settings with another thread-replacement budget. */
    public StreamsRuntimeProperties withThreadReplacement(ThreadReplacement replacement) {
        return new StreamsRuntimeProperties(applicationId, bootstrapServers, stateDir, threads, commitInterval,
                replicationFactor, rocksdbOffHeapBytes, rocksdbMemtableBytes, metricsRecordingLevel, applicationServer,
                closeTimeout, overrides, instanceId, replacement, wipeAfterUncleanShutdown);
    }

    /** The same settings with the start-up wipe after an unclean end switched on or off. */
    public StreamsRuntimeProperties withWipeAfterUncleanShutdown(boolean wipe) {
        return new StreamsRuntimeProperties(applicationId, bootstrapServers, stateDir, threads, commitInterval,
                replicationFactor, rocksdbOffHeapBytes, rocksdbMemtableBytes, metricsRecordingLevel, applicationServer,
                closeTimeout, overrides, instanceId, threadReplacement, wipe);
    }
}

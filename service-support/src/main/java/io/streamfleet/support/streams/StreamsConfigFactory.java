package io.streamfleet.support.streams;

import io.streamfleet.support.kafka.KafkaClients;
import io.streamfleet.support.rocksdb.BoundedMemoryRocksDbConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Turns {@link StreamsRuntimeProperties} into Kafka Streams settings with the fleet's fixed choices: exactly-once v2,
 * bounded RocksDB memory, corrupt input logged, counted (dropped-records metric) and skipped instead of killing the
 * thread; static group membership when an instance id is set. Explicit {@code overrides} win over all of these. All of
 * it lies over {@code spring.kafka.*} ({@link KafkaClients}), which alone gives bootstrap servers (unless the settings
 * name their own) and security.
 */
public final class StreamsConfigFactory {

    /** Restore consumer's wait for data at the end of a changelog (Kafka's default: 500 ms). */
    static final int RESTORE_FETCH_MAX_WAIT_MS = 20;

    /** How often the assignor checks whether warm-up replicas caught up (Kafka's default: 10 min, its minimum: 1 min). */
    static final long PROBING_REBALANCE_INTERVAL_MS = 60_000;

    /**
     * Producer batch size: one commit interval of a busy partition fits in a few batches. When its buffer pool runs
     * short the producer sends every batch at once instead of lingering, so writing to many partitions delays nothing.
     */
    static final int PRODUCER_BATCH_BYTES = 256 * 1024;

    private StreamsConfigFactory() {
    }

    private static int lingerMs(StreamsRuntimeProperties settings) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, settings.commitInterval().toMillis()));
    }

    public static Properties create(KafkaClients clients, StreamsRuntimeProperties settings) {
        if (settings.applicationId() == null || settings.applicationId().isBlank()) {
            throw new IllegalArgumentException("streamfleet.streams.application-id must be set");
        }
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        if (settings.bootstrapServers() != null && !settings.bootstrapServers().isBlank()) {
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        }
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // writes reach RocksDB only when their changelog transaction commits, so a crash leaves committed state that
        // is kept, not wiped and restored: recovery time no longer grows with state size (docs/recovery.md)
        props.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir(settings));
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.threads());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.commitInterval().toMillis());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) settings.replicationFactor());
        props.put(StreamsConfig.METRICS_RECORDING_LEVEL_CONFIG, settings.metricsRecordingLevel());
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDbConfig.class);
        props.put(BoundedMemoryRocksDbConfig.TOTAL_OFF_HEAP_BYTES, settings.rocksdbOffHeapBytes());
        props.put(BoundedMemoryRocksDbConfig.TOTAL_MEMTABLE_BYTES, settings.rocksdbMemtableBytes());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DefaultProductionExceptionHandler.class);
        // no record cache: windowed results are suppressed/emitted explicitly, and latency matters more than writes
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        // under exactly-once a record reaches read_committed readers only when its transaction commits, and the commit
        // flushes the producer: lingering up to the commit interval delays nothing anyone can see, and sends each
        // partition's records of one commit in a few large batches instead of a small one every few ms. Fewer, larger
        // batches cut the producer's network thread and the broker's per-request work (docs/PERFORMANCE.md)
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), lingerMs(settings));
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_BYTES);
        // a restart "restores" the few records after the checkpoint (often only a commit marker); each fetch at the
        // end of a changelog waits fetch.max.wait.ms for data that never comes: 500 ms by default, per round of
        // changelogs, which was most of a graceful restart's second between group join and RUNNING
        props.put(StreamsConfig.restoreConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG),
                RESTORE_FETCH_MAX_WAIT_MS);
        // a new instance first gets warm-up replicas and takes over active tasks only at a probing rebalance; every
        // 10 min (Kafka's default) means a scale-out helps only minutes later (docs/capacity.md). The minimum keeps
        // the no-pause hand-over and lets it happen within about a minute of the warm-up catching up
        props.put(StreamsConfig.PROBING_REBALANCE_INTERVAL_MS_CONFIG, PROBING_REBALANCE_INTERVAL_MS);
        if (!settings.applicationServer().isBlank()) {
            props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, settings.applicationServer());
        }
        // unset: dynamic membership with Kafka's 45 s session timeout, which KIP-735 chose against spurious expiry
        if (settings.instanceId() != null) {
            StaticMembership.apply(props, settings.instanceId(), settings.overrides());
        }
        props.putAll(settings.overrides());
        Map<String, Object> required = new HashMap<>();
        props.forEach((key, value) -> required.put(String.valueOf(key), value));
        return clients.streamsConfig(required);
    }

    private static String stateDir(StreamsRuntimeProperties settings) {
        if (settings.stateDir() != null && !settings.stateDir().isBlank()) {
            return settings.stateDir();
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "streamfleet", settings.applicationId()).toString();
    }
}

package io.streamfleet.processor.config;

import io.streamfleet.support.kafka.KafkaClients;
import io.streamfleet.processor.topology.ProcessorStores;
import io.streamfleet.support.rocksdb.BoundedMemoryRocksDbConfig;
import io.streamfleet.support.streams.StreamsConfigFactory;
import io.streamfleet.support.streams.StreamsRuntimeProperties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The processor's RocksDB stores run under the fleet's bounded config setter: one shared block cache with memtables
 * charged to it, bloom filters, and off-heap usage that stays bounded (within twice the configured bound: the
 * cache is not strict) however much data is written. Real RocksDB, opened directly: the topology test driver flushes every store after every record, which
 * makes a high-volume run through it impractical. The bound is read by the first store opened in the JVM; no other
 * unit test of this module opens RocksDB through the setter (the driver harness uses in-memory stores).
 */
class RocksDbMemoryBoundsTest {

    private static final long BOUND = 4L * 1024 * 1024;
    private static final long MEMTABLES = 1024 * 1024;
    private static final Map<String, Object> CONFIGS = Map.of(BoundedMemoryRocksDbConfig.TOTAL_OFF_HEAP_BYTES, BOUND,
            BoundedMemoryRocksDbConfig.TOTAL_MEMTABLE_BYTES, MEMTABLES);

    @TempDir
    Path stateDir;

    @Test
    void shouldConfigureTheBoundedSetterWithTheConfiguredBoundsWhenServiceConfigIsBuilt() {
        Properties props = StreamsConfigFactory.create(KafkaClients.forBootstrapServers("unused:9092"), new StreamsRuntimeProperties("rocksdb-bounds-test",
                "unused:9092", stateDir.toString(), 1, Duration.ofMillis(100), (short) 1, BOUND, MEMTABLES, "INFO",
                "", Duration.ofSeconds(10), Map.of()));

        assertThat(props.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG))
                .isEqualTo(BoundedMemoryRocksDbConfig.class);
        assertThat(props.get(BoundedMemoryRocksDbConfig.TOTAL_OFF_HEAP_BYTES)).isEqualTo(BOUND);
        assertThat(props.get(BoundedMemoryRocksDbConfig.TOTAL_MEMTABLE_BYTES)).isEqualTo(MEMTABLES);
    }

    /** Every event writes RocksDB here, so the service asks for twice the fleet's default (docs/stream-processor.md). */
    @Test
    void shouldGiveThisServiceTwiceTheFleetsDefaultRocksDbBoundsThroughItsApplicationYaml() throws Exception {
        StreamsRuntimeProperties bound = ServiceStreamsSettings.fromApplicationYaml();

        assertThat(bound.rocksdbOffHeapBytes()).isEqualTo(256L << 20)
                .isEqualTo(2 * BoundedMemoryRocksDbConfig.DEFAULT_TOTAL_OFF_HEAP_BYTES);
        assertThat(bound.rocksdbMemtableBytes()).isEqualTo(128L << 20)
                .isEqualTo(2 * BoundedMemoryRocksDbConfig.DEFAULT_TOTAL_MEMTABLE_BYTES);
    }

    @Test
    void shouldStayWithinConfiguredOffHeapBoundWhenFarMoreDataThanTheBoundIsWrittenAndRead() throws Exception {
        RocksDB.loadLibrary();
        BoundedMemoryRocksDbConfig setter = new BoundedMemoryRocksDbConfig();
        long maxUsed = 0;
        long written = 0;
        Random random = new Random(7);
        try (Options options = new Options().setCreateIfMissing(true)) {
            options.setTableFormatConfig(new BlockBasedTableConfig());
            setter.setConfig(ProcessorStores.DEDUP_ORDER_IDS, options, CONFIGS);
            try (RocksDB db = RocksDB.open(options, stateDir.resolve("bounds").toString())) {
                byte[] value = new byte[200];
                for (int i = 0; i < 300_000; i++) {
                    random.nextBytes(value);
                    byte[] key = ("order-event-" + i + "-" + UUID.nameUUIDFromBytes(value)).getBytes(UTF_8);
                    db.put(key, value);
                    written += key.length + value.length;
                    if (i % 1000 == 0) {
                        maxUsed = Math.max(maxUsed, BoundedMemoryRocksDbConfig.usedOffHeapBytes());
                    }
                }
                for (int i = 0; i < 30_000; i++) {
                    db.get(("order-event-" + random.nextInt(300_000)).getBytes(UTF_8));
                    if (i % 1000 == 0) {
                        maxUsed = Math.max(maxUsed, BoundedMemoryRocksDbConfig.usedOffHeapBytes());
                    }
                }
            }
            setter.close(ProcessorStores.DEDUP_ORDER_IDS, options);
        }

        assertThat(BoundedMemoryRocksDbConfig.configuredOffHeapBytes()).isEqualTo(BOUND);
        assertThat(written).as("the data is far larger than the bound").isGreaterThan(15 * BOUND);
        assertThat(maxUsed).as("memtables and blocks are charged to the shared cache").isPositive();
        // the shared LRU cache is not strict (Kafka Streams' memory guidance): RocksDB may overshoot the bound by a
        // fixed amount (memtable arena blocks, pinned index/filter blocks) that does not grow with the data; with a
        // 4 MiB bound we measured up to 6.6 MiB after 38 MB and after 153 MB written alike
        assertThat(maxUsed).as("off-heap usage stays bounded, independent of the data volume")
                .isLessThanOrEqualTo(2 * BOUND);
    }

    @Test
    void shouldShareOneCacheAndWriteBufferManagerWithBloomFiltersWhenStoresAreConfigured() {
        RocksDB.loadLibrary();
        BoundedMemoryRocksDbConfig setter = new BoundedMemoryRocksDbConfig();
        try (Options first = new Options(); Options second = new Options()) {
            first.setTableFormatConfig(new BlockBasedTableConfig());
            second.setTableFormatConfig(new BlockBasedTableConfig());
            setter.setConfig(ProcessorStores.DEDUP_ORDER_IDS, first, CONFIGS);
            setter.setConfig(ProcessorStores.STATS_CLOSED_TUMBLING, second, CONFIGS);

            assertThat(first.writeBufferManager()).isNotNull().isSameAs(second.writeBufferManager());
            assertThat(first.writeBufferSize())
                    .as("a memtable that grows while a flush lags stays within the memtable budget")
                    .isEqualTo(MEMTABLES / 2);
            BlockBasedTableConfig table = (BlockBasedTableConfig) first.tableFormatConfig();
            assertThat(table.filterPolicy()).isInstanceOf(BloomFilter.class);
            assertThat(table.cacheIndexAndFilterBlocks()).as("index and filters charged to the cache").isTrue();
            assertThat(first.maxWriteBufferNumber()).isEqualTo(2);
            setter.close(ProcessorStores.DEDUP_ORDER_IDS, first);
            setter.close(ProcessorStores.STATS_CLOSED_TUMBLING, second);
        }
    }
}

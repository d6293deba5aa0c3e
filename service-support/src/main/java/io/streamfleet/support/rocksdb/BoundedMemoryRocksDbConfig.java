package io.streamfleet.support.rocksdb;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.CompactionStyle;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

import java.util.Map;

/**
 * Bounds the off-heap memory of every RocksDB store of the process, whatever the number of stores or keys: one LRU
 * block cache shared by all stores, with memtables charged to the same cache through a write-buffer manager, index
 * and filter blocks cached (so they are bounded too) and bloom filters for point lookups. Follows the Kafka Streams
 * memory-management guidance.
 * <p>
 * Sizes come from the streams config keys {@link #TOTAL_OFF_HEAP_BYTES} and {@link #TOTAL_MEMTABLE_BYTES}; they are
 * read once, by the first store opened in the JVM.
 */
public class BoundedMemoryRocksDbConfig implements RocksDBConfigSetter {

    public static final String TOTAL_OFF_HEAP_BYTES = "streamfleet.rocksdb.total-off-heap-bytes";
    public static final String TOTAL_MEMTABLE_BYTES = "streamfleet.rocksdb.total-memtable-bytes";
    /** Default bounds (128 and 64 MiB), as text for {@code StreamsRuntimeProperties}' {@code @DefaultValue}. */
    public static final String DEFAULT_OFF_HEAP = "134217728";
    public static final String DEFAULT_MEMTABLES = "67108864";
    // the same defaults for a Streams config built without StreamsRuntimeProperties (benchmarks, tests)
    public static final long DEFAULT_TOTAL_OFF_HEAP_BYTES = Long.parseLong(DEFAULT_OFF_HEAP);
    public static final long DEFAULT_TOTAL_MEMTABLE_BYTES = Long.parseLong(DEFAULT_MEMTABLES);
    private static final double HIGH_PRIORITY_POOL_RATIO = 0.1;

    private static Cache cache;
    private static WriteBufferManager writeBufferManager;
    private static long configuredOffHeapBytes;
    private static long writeBufferBytes;
    private static final long MIN_WRITE_BUFFER_BYTES = 64 * 1024;

    private static synchronized void initialise(Map<String, Object> configs) {
        if (cache != null) {
            return;
        }
        long total = longConfig(configs, TOTAL_OFF_HEAP_BYTES, DEFAULT_TOTAL_OFF_HEAP_BYTES);
        long memtables = Math.min(total, longConfig(configs, TOTAL_MEMTABLE_BYTES, DEFAULT_TOTAL_MEMTABLE_BYTES));
        cache = new LRUCache(total, -1, false, HIGH_PRIORITY_POOL_RATIO);
        writeBufferManager = new WriteBufferManager(memtables, cache);
        writeBufferBytes = Math.max(MIN_WRITE_BUFFER_BYTES, memtables / 2);
        configuredOffHeapBytes = total;
    }

    /** The off-heap bound in force in this JVM (0 before the first store opened). */
    public static synchronized long configuredOffHeapBytes() {
        return configuredOffHeapBytes;
    }

    /** Bytes currently held by the shared cache, memtables included (0 before the first store opened). */
    public static synchronized long usedOffHeapBytes() {
        return cache == null ? 0 : cache.getUsage();
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        initialise(configs);
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        table.setFilterPolicy(new BloomFilter(10, false));
        options.setWriteBufferManager(writeBufferManager);
        options.setTableFormatConfig(table);
        options.setCompactionStyle(CompactionStyle.LEVEL);
        options.setMaxWriteBufferNumber(2);
        // the manager can only switch memtables while fewer than two exist: when a flush falls behind (a starved CPU)
        // the mutable one grows up to write_buffer_size (16 MiB in Kafka Streams), seen as 18 MB against an 8 MiB
        // bound; half the memtable budget keeps that overshoot within the budget. (The manager's allowStall mode
        // would be strict, but stalled RocksDbMemoryBoundsTest's 75 MB of writes for 106 s instead of 3.6 s.)
        options.setWriteBufferSize(writeBufferBytes);
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and write-buffer manager are shared by all stores of the JVM and must outlive any one of them
    }

    private static long longConfig(Map<String, Object> configs, String key, long fallback) {
        Object value = configs.get(key);
        if (value == null) {
            return fallback;
        }
        return value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
    }
}

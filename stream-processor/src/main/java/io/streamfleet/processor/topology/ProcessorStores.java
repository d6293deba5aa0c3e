package io.streamfleet.processor.topology;

import io.streamfleet.contracts.stats.OrderWindowStats;
import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.support.streams.store.ChangelogPositions;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;

import java.time.Duration;
import java.util.List;

/**
 * The processor's state stores, all changelogged. Names are part of the deployed state (changelog topics are named
 * after them): a test pins the set, so a rename fails loudly instead of silently starting from empty state.
 * <ul>
 *   <li>{@value #DEDUP_ORDER_IDS}, {@value #DEDUP_ENGAGEMENT_IDS}: window stores of event ids by first-seen event
 *   time; segments older than retention + lateness are dropped, so size is bounded by the event rate, not by the
 *   number of distinct ids ever seen;</li>
 *   <li>{@value #LATENESS_ORDER_TIME}, {@value #LATENESS_ENGAGEMENT_TIME}: per task the stream time (idle advance
 *   included) the lateness rule uses, so it survives restarts;</li>
 *   <li>{@value #STATS_OPEN_WINDOWS}: aggregates not yet closed, keyed (time, kind, key) so that closing is one
 *   ordered range scan: tumbling windows by end, hopping panes by start (a tumbling window is folded into its pane when
 *   it closes, a hopping window is merged from its panes when it closes);</li>
 *   <li>{@value #STATS_PROGRESS}: per task the watermark up to which windows are closed;</li>
 *   <li>{@value #STATS_CLOSED_TUMBLING}, {@value #STATS_CLOSED_HOPPING}: closed window stats for interactive
 *   queries, retained for the query retention.</li>
 * </ul>
 * Every store is wrapped by {@link ChangelogPositions}: each write's changelog record would otherwise copy the store's
 * position only to drop it.
 */
public final class ProcessorStores {

    public static final String DEDUP_ORDER_IDS = "dedup-order-ids";
    public static final String DEDUP_ENGAGEMENT_IDS = "dedup-engagement-ids";
    public static final String LATENESS_ORDER_TIME = "lateness-order-stream-time";
    public static final String LATENESS_ENGAGEMENT_TIME = "lateness-engagement-stream-time";
    public static final String STATS_OPEN_WINDOWS = "stats-open-windows";
    public static final String STATS_PROGRESS = "stats-progress";
    public static final String STATS_CLOSED_TUMBLING = "stats-closed-tumbling";
    public static final String STATS_CLOSED_HOPPING = "stats-closed-hopping";

    private ProcessorStores() {
    }

    public static List<String> names() {
        return List.of(DEDUP_ORDER_IDS, DEDUP_ENGAGEMENT_IDS, LATENESS_ORDER_TIME, LATENESS_ENGAGEMENT_TIME,
                STATS_OPEN_WINDOWS, STATS_PROGRESS, STATS_CLOSED_TUMBLING, STATS_CLOSED_HOPPING);
    }

    static StoreBuilder<?> dedupIds(String name, long retentionMs, boolean persistent) {
        Duration retention = Duration.ofMillis(retentionMs);
        WindowBytesStoreSupplier supplier = ChangelogPositions.window(persistent
                ? Stores.persistentWindowStore(name, retention, retention, false)
                : Stores.inMemoryWindowStore(name, retention, retention, false));
        return Stores.windowStoreBuilder(supplier, Serdes.String(), Serdes.ByteArray()).withCachingDisabled();
    }

    // The stream-time and stats-progress stores are cached (statestore.cache.max.bytes, set in application.yaml): their
    // few keys, written on nearly every record, reach RocksDB and the changelog once per commit instead of once per
    // record. The cache is flushed before every commit, in the same transaction; nothing is emitted from a flush. The
    // open-window store is not: measured, the cache's sorted map cost about what it saved (docs/stream-processor.md).

    static StoreBuilder<?> streamTime(String name, boolean persistent) {
        return Stores.keyValueStoreBuilder(kv(name, persistent), Serdes.String(), Serdes.Long()).withCachingEnabled();
    }

    static StoreBuilder<?> openWindows(boolean persistent) {
        return Stores.keyValueStoreBuilder(kv(STATS_OPEN_WINDOWS, persistent), Serdes.Bytes(), Serdes.ByteArray());
    }

    static StoreBuilder<?> progress(boolean persistent) {
        return Stores.keyValueStoreBuilder(kv(STATS_PROGRESS, persistent), Serdes.String(), Serdes.Long())
                .withCachingEnabled();
    }

    static StoreBuilder<?> closed(String name, Duration retention, long windowSizeMs, boolean persistent) {
        Duration size = Duration.ofMillis(windowSizeMs);
        WindowBytesStoreSupplier supplier = ChangelogPositions.window(persistent
                ? Stores.persistentWindowStore(name, retention, size, false)
                : Stores.inMemoryWindowStore(name, retention, size, false));
        return Stores.<String, OrderWindowStats>windowStoreBuilder(supplier, Topics.KEY, Topics.ORDER_STATS_SERDE)
                .withCachingDisabled();
    }

    private static KeyValueBytesStoreSupplier kv(String name, boolean persistent) {
        return ChangelogPositions.keyValue(
                persistent ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name));
    }
}

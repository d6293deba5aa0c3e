package io.streamfleet.session.topology;

import io.streamfleet.support.streams.store.ChangelogPositions;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.util.List;

/**
 * The service's state stores, all changelogged so they survive restarts and move with their task on a rebalance.
 * Names are part of the deployed state: a test pins them. The closing index over the open sessions is no store (it
 * was {@code session-closings} until 2026-12-06): it is rebuilt from {@value #OPEN} on the heap, see
 * {@link SessionProcessor}.
 * <ul>
 *   <li>{@value #OPEN}: per user the sessions not yet closed (usually one; more while late events may still bridge
 *   them);</li>
 *   <li>{@value #BASELINES}: per user the EMA baseline and the latest sessions (queryable; binary since
 *   2026-12-05, JSON still read: {@link BaselineSerde});</li>
 *   <li>{@value #META}: per task the partition time ({@code stream-time} and the {@code progress.*} entries of
 *   {@link io.streamfleet.support.progress.TaskStreamTime}), so lateness and closing resume exactly where they
 *   were.</li>
 * </ul>
 */
public final class SessionStores {

    public static final String OPEN = "session-open";
    public static final String BASELINES = "session-baselines";
    public static final String META = "session-meta";

    private SessionStores() {
    }

    public static List<String> names() {
        return List.of(OPEN, BASELINES, META);
    }

    /** Store builders; {@code persistent} selects RocksDB (production) or in-memory (tests, benchmarks). */
    public static List<StoreBuilder<?>> builders(boolean persistent) {
        return List.of(
                Stores.keyValueStoreBuilder(supplier(OPEN, persistent), Serdes.String(), Serdes.ByteArray()),
                Stores.keyValueStoreBuilder(supplier(BASELINES, persistent), Serdes.String(), new BaselineSerde()),
                // cached (statestore.cache.max.bytes, application.yaml): the stream time reaches RocksDB and the
                // changelog once per commit instead of once per record that moves it; flushed before every commit, in
                // the same transaction, and nothing is forwarded from a flush. session-open is not cached: measured,
                // the cache's lookups cost more than the RocksDB reads they saved (docs/session-analytics.md); its
                // reads go through OpenSessionReads, a plain bounded map of the values last written
                Stores.keyValueStoreBuilder(supplier(META, persistent), Serdes.String(), Serdes.Long())
                        .withCachingEnabled());
    }

    private static KeyValueBytesStoreSupplier supplier(String name, boolean persistent) {
        // every write's changelog record would otherwise copy the store's position only to drop it
        return ChangelogPositions.keyValue(
                persistent ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name));
    }
}

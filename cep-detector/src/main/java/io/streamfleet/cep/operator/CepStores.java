package io.streamfleet.cep.operator;

import io.streamfleet.support.streams.store.ChangelogPositions;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.util.List;

/**
 * The detector's state stores (all changelogged). Names are part of the deployed state: a test pins them.
 * <ul>
 *   <li>{@value #BUFFER}: events accepted but not yet behind the watermark, in chunks per event-time bucket
 *   ({@link OrderBuffer}); record cache on;</li>
 *   <li>{@value #KEY_STATE}: per key the matcher state (events inside the horizon, evaluation cursor) and its
 *   wake-up watermark, from which the processor rebuilds its in-memory wake-up index ({@link WakeUpIndex}) at
 *   start-up; the changelogged {@code cep-wake-ups} store of earlier versions is no longer in the topology;</li>
 *   <li>{@value #META}: per task the partition time, the drained watermark, since when the buffer keeps drained
 *   orders, and state tallies; record cache on.</li>
 * </ul>
 */
public final class CepStores {

    public static final String BUFFER = "cep-buffer";
    public static final String KEY_STATE = "cep-key-state";
    public static final String META = "cep-meta";

    private CepStores() {
    }

    public static List<String> names() {
        return List.of(BUFFER, KEY_STATE, META);
    }

    /** Store builders; {@code persistent} selects RocksDB (production) or in-memory (tests, benchmarks). */
    public static List<StoreBuilder<?>> builders(boolean persistent) {
        return List.of(
                // cached: a chunk of orders is put once per order appended to it, and only the last put of a commit
                // reaches RocksDB and the changelog (OrderBuffer; statestore.cache.max.bytes in application.yaml)
                Stores.keyValueStoreBuilder(supplier(BUFFER, persistent), Serdes.Bytes(), Serdes.ByteArray())
                        .withCachingEnabled(),
                Stores.keyValueStoreBuilder(supplier(KEY_STATE, persistent), Serdes.String(), Serdes.ByteArray()),
                // cached: stream time is put whenever an order moves it (up to once per millisecond of event time),
                // the watermark at every evaluation; only the last value of a commit needs to reach the changelog
                Stores.keyValueStoreBuilder(supplier(META, persistent), Serdes.String(), Serdes.Long())
                        .withCachingEnabled());
    }

    private static KeyValueBytesStoreSupplier supplier(String name, boolean persistent) {
        // every write's changelog record would otherwise copy the store's position only to drop it
        return ChangelogPositions.keyValue(
                persistent ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name));
    }

    /** Typed views the processor works with. */
    record Handles(KeyValueStore<Bytes, byte[]> buffer, KeyValueStore<String, byte[]> keyState,
                   KeyValueStore<String, Long> meta) {
    }
}

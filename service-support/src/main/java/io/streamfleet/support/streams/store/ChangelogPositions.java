package io.streamfleet.support.streams.store;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedBytesStore;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

import java.util.Map;

/**
 * Wraps a byte-store supplier so that Kafka Streams' change-logging layer no longer copies the store's
 * {@link org.apache.kafka.streams.query.Position} on every write.
 *
 * <p>Why: the change-logging layer of a key-value or window store ({@code ChangeLoggingKeyValueBytesStore},
 * {@code ChangeLoggingWindowBytesStore}) asks the store below it for its position on <em>every</em> write and hands it
 * to the context's {@code logChange}, which puts it in the changelog record's headers only while offset vectors are on
 * ({@code __iq.consistency.offset.vector.enabled__}, off unless set) and drops it otherwise. With transactional
 * stores ({@code enable.transactional.statestores}, set by
 * {@link io.streamfleet.support.streams.StreamsConfigFactory}) RocksDB, segmented RocksDB and in-memory stores all
 * answer with a fresh copy of their position merged with the uncommitted one (concurrent hash maps per write, under a
 * lock). Measured: about a tenth of session-analytics' stream-thread time and a fifth of its allocation.
 *
 * <p>The wrapped store answers an empty position to the layers above it while offset vectors are off; with them on it
 * passes the real position through. The store below keeps, persists and restores its real position itself, and
 * interactive queries that reach it ({@code query}) are answered with it. One caveat: a record cache above the
 * wrapper ({@code withCachingEnabled()}) answers an IQv2 query from its own entries with its own position merged
 * with the (now empty) one from below, so do not rely on position bounds of IQv2 queries against a <em>cached</em>
 * wrapped store. No store of this fleet is both cached and queried.
 *
 * <p>This relies on Kafka Streams internals (checked against 4.4.0): {@code ChangelogPositionsKafkaBehaviourTest}
 * fails if an upgrade starts using the position for anything else while offset vectors are off, or stops asking for
 * it per write (then this wrapper is useless but harmless). Timestamped stores are refused: the builders recognise them
 * by the {@link TimestampedBytesStore} marker, which a wrapper would hide.
 */
public final class ChangelogPositions {

    private ChangelogPositions() {
    }

    /** A supplier of {@code supplier}'s key-value stores, each wrapped; name and metrics scope unchanged. */
    public static KeyValueBytesStoreSupplier keyValue(KeyValueBytesStoreSupplier supplier) {
        return new KeyValueBytesStoreSupplier() {
            @Override
            public String name() {
                return supplier.name();
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return new ChangelogPositionStore(notTimestamped(supplier.get()));
            }

            @Override
            public String metricsScope() {
                return supplier.metricsScope();
            }
        };
    }

    /**
     * A supplier of {@code supplier}'s window stores, each wrapped; name, metrics scope, retention, window size,
     * segment interval and duplicate retention unchanged.
     */
    public static WindowBytesStoreSupplier window(WindowBytesStoreSupplier supplier) {
        return new WindowBytesStoreSupplier() {
            @Override
            public String name() {
                return supplier.name();
            }

            @Override
            public WindowStore<Bytes, byte[]> get() {
                return new ChangelogPositionWindowStore(notTimestamped(supplier.get()));
            }

            @Override
            public String metricsScope() {
                return supplier.metricsScope();
            }

            @Override
            public long segmentIntervalMs() {
                return supplier.segmentIntervalMs();
            }

            @Override
            public long windowSize() {
                return supplier.windowSize();
            }

            @Override
            public boolean retainDuplicates() {
                return supplier.retainDuplicates();
            }

            @Override
            public long retentionPeriod() {
                return supplier.retentionPeriod();
            }
        };
    }

    /**
     * Whether {@code store} (a store as built by a {@link org.apache.kafka.streams.state.StoreBuilder}, with its
     * metering, logging and caching layers) has one of these wrappers underneath: for the services' wiring tests.
     */
    public static boolean isWrapped(StateStore store) {
        StateStore current = store;
        while (true) {
            if (current instanceof ChangelogPositionStore || current instanceof ChangelogPositionWindowStore) {
                return true;
            }
            if (!(current instanceof WrappedStateStore<?, ?, ?> wrapped)) {
                return false;
            }
            current = wrapped.wrapped();
        }
    }

    /** Whether the application writes offset vectors into changelog headers (the only use of the position there). */
    static boolean vectorsEnabled(Map<String, Object> appConfigs) {
        Object value = appConfigs.get(StreamsConfig.InternalConfig.IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED);
        return value != null && Boolean.parseBoolean(value.toString());
    }

    private static <S extends StateStore> S notTimestamped(S store) {
        if (store instanceof TimestampedBytesStore) {
            throw new IllegalArgumentException("store " + store.name() + " is a timestamped store ("
                    + store.getClass().getSimpleName() + "): ChangelogPositions would hide its TimestampedBytesStore "
                    + "marker from the store builder; wrap only plain key-value and window byte stores");
        }
        return store;
    }
}

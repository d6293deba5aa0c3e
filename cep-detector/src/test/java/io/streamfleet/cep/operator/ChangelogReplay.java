package io.streamfleet.cep.operator;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateRestoreCallback;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.internals.RecordBatchingStateRestoreCallback;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.InMemoryKeyValueStore;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replays the detector's changelogs — every put and every tombstone, in order, in batches of 1 000 as the restore
 * consumer polls them — into RocksDB stores through the restore callback those stores register, which is how Kafka
 * Streams rebuilds a wiped state directory. {@link #tappedBuilders} gives in-memory stores whose writes are the
 * changelog; {@link #openTarget} opens a RocksDB store to restore into.
 */
final class ChangelogReplay {

    private static final int POLL = 1_000;

    private final Map<String, RecordBatchingStateRestoreCallback> callbacks = new HashMap<>();
    private final Map<String, List<ConsumerRecord<byte[], byte[]>>> pending = new HashMap<>();
    private long offset;
    long records;
    long tombstones;

    /** The detector's stores, in memory, each write also a changelog record for the target of the same name. */
    List<StoreBuilder<?>> tappedBuilders() {
        return List.of(
                Stores.keyValueStoreBuilder(tap(CepStores.BUFFER), Serdes.Bytes(), Serdes.ByteArray()),
                Stores.keyValueStoreBuilder(tap(CepStores.KEY_STATE), Serdes.String(), Serdes.ByteArray()),
                Stores.keyValueStoreBuilder(tap(CepStores.META), Serdes.String(), Serdes.Long()));
    }

    /** Builds (logging off: the replay is the changelog) and opens a store to restore into. */
    StateStore openTarget(StoreBuilder<?> builder, StateStoreContext base) {
        StateStore store = builder.withLoggingDisabled().withCachingDisabled().build();
        store.init(context(base), store);
        return store;
    }

    /**
     * Delegates to {@code base}, keeping each store's restore callback. A proxy over every interface of the base
     * context, because Kafka Streams 4.4's metered stores cast their context to its internal type.
     */
    private StateStoreContext context(StateStoreContext base) {
        Set<Class<?>> interfaces = new LinkedHashSet<>();
        for (Class<?> type = base.getClass(); type != null; type = type.getSuperclass()) {
            collectInterfaces(type, interfaces);
        }
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("register") && args != null && args.length >= 2
                    && args[0] instanceof StateStore store
                    && args[1] instanceof RecordBatchingStateRestoreCallback callback) {
                callbacks.put(store.name(), callback);
            }
            try {
                return method.invoke(base, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (StateStoreContext) Proxy.newProxyInstance(ChangelogReplay.class.getClassLoader(),
                interfaces.toArray(Class<?>[]::new), handler);
    }

    private static void collectInterfaces(Class<?> type, Set<Class<?>> into) {
        for (Class<?> implemented : type.getInterfaces()) {
            if (into.add(implemented)) {
                collectInterfaces(implemented, into);
            }
        }
    }

    private KeyValueBytesStoreSupplier tap(String name) {
        return new KeyValueBytesStoreSupplier() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return new InMemoryKeyValueStore(name) {
                    @Override
                    public synchronized void put(Bytes key, byte[] value) {
                        super.put(key, value);
                        record(name, key, value);
                    }

                    @Override
                    public synchronized byte[] putIfAbsent(Bytes key, byte[] value) {
                        byte[] previous = super.putIfAbsent(key, value);
                        if (previous == null) {
                            record(name, key, value);
                        }
                        return previous;
                    }

                    @Override
                    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
                        entries.forEach(e -> put(e.key, e.value));
                    }

                    @Override
                    public synchronized byte[] delete(Bytes key) {
                        byte[] previous = super.delete(key);
                        record(name, key, null);
                        return previous;
                    }
                };
            }

            @Override
            public String metricsScope() {
                return "in-memory";
            }
        };
    }

    /** Writes the live entries of {@code source} (no history, no tombstones): what a fully compacted log restores. */
    void copyLive(String name, KeyValueIterator<Bytes, byte[]> source) {
        try (source) {
            while (source.hasNext()) {
                KeyValue<Bytes, byte[]> entry = source.next();
                record(name, entry.key, entry.value);
            }
        }
        flush();
    }

    /** One changelog record for {@code store}; a null value is a tombstone. */
    void record(String store, Bytes key, byte[] value) {
        List<ConsumerRecord<byte[], byte[]>> batch = pending.computeIfAbsent(store, s -> new ArrayList<>(POLL));
        // copied, as the changelog producer serialises a record into its batch during send()
        batch.add(new ConsumerRecord<>(store + "-changelog", 0, offset++, key.get().clone(),
                value == null ? null : value.clone()));
        records++;
        if (value == null) {
            tombstones++;
        }
        if (batch.size() == POLL) {
            restore(store, batch);
        }
    }

    void flush() {
        pending.forEach(this::restore);
    }

    private void restore(String store, List<ConsumerRecord<byte[], byte[]>> batch) {
        RecordBatchingStateRestoreCallback callback = callbacks.get(store);
        if (callback == null) {
            throw new IllegalStateException("no target store " + store + " was opened with context()");
        }
        callback.restoreBatch(new ArrayList<>(batch));
        batch.clear();
    }
}

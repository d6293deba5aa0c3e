package io.streamfleet.cep.operator;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.List;

/** Delegating store that counts reads (gets and iterated entries) and writes, for state-cost tests. */
final class CountingKeyValueStore<K, V> implements KeyValueStore<K, V> {

    private final KeyValueStore<K, V> inner;
    long reads;
    long writes;

    CountingKeyValueStore(KeyValueStore<K, V> inner) {
        this.inner = inner;
    }

    void reset() {
        reads = 0;
        writes = 0;
    }

    @Override
    public void put(K key, V value) {
        writes++;
        inner.put(key, value);
    }

    @Override
    public V putIfAbsent(K key, V value) {
        writes++;
        return inner.putIfAbsent(key, value);
    }

    @Override
    public void putAll(List<KeyValue<K, V>> entries) {
        writes += entries.size();
        inner.putAll(entries);
    }

    @Override
    public V delete(K key) {
        writes++;
        return inner.delete(key);
    }

    @Override
    public V get(K key) {
        reads++;
        return inner.get(key);
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        return counting(inner.range(from, to));
    }

    @Override
    public KeyValueIterator<K, V> all() {
        return counting(inner.all());
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(P prefix, PS prefixKeySerializer) {
        return counting(inner.prefixScan(prefix, prefixKeySerializer));
    }

    @Override
    public long approximateNumEntries() {
        return inner.approximateNumEntries();
    }

    private KeyValueIterator<K, V> counting(KeyValueIterator<K, V> it) {
        return new KeyValueIterator<>() {
            @Override
            public void close() {
                it.close();
            }

            @Override
            public K peekNextKey() {
                return it.peekNextKey();
            }

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public KeyValue<K, V> next() {
                reads++;
                return it.next();
            }
        };
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        inner.init(context, root);
    }

    @Override
    public void flush() {
        inner.flush();
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound bound, QueryConfig config) {
        return inner.query(query, bound, config);
    }

    @Override
    public Position getPosition() {
        return inner.getPosition();
    }
}

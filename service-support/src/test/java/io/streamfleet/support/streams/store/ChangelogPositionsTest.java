package io.streamfleet.support.streams.store;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The wrappers change nothing but the position the change-logging layer asks for and drops: with offset vectors off it
 * is empty, with them on it is the wrapped store's; every read and write passes through. What Kafka Streams does with
 * that position is checked under a real Streams context in {@link ChangelogPositionsKafkaBehaviourTest}.
 */
class ChangelogPositionsTest {

    private static final Duration RETENTION = Duration.ofHours(1);
    private static final Duration WINDOW = Duration.ofMinutes(1);

    @Test
    void shouldPassEveryKeyValueReadAndWriteThroughAndAnswerAnEmptyPositionWhileOffsetVectorsAreOff() {
        KeyValueStore<Bytes, byte[]> inner = Stores.inMemoryKeyValueStore("s").get();
        ChangelogPositionStore store = new ChangelogPositionStore(inner);
        store.init(context(new Properties()).getStateStoreContext(), store);

        store.put(key(1), new byte[] {1});
        store.putAll(List.of(KeyValue.pair(key(2), new byte[] {2}), KeyValue.pair(key(3), new byte[] {3})));
        assertThat(store.putIfAbsent(key(1), new byte[] {9})).containsExactly(1);
        assertThat(store.delete(key(2))).containsExactly(2);

        assertThat(store.get(key(1))).containsExactly(1);
        assertThat(inner.get(key(3))).containsExactly(3);
        assertThat(keys(store.range(key(0), key(9)))).containsExactly(key(1), key(3));
        assertThat(keys(store.reverseRange(key(0), key(9)))).containsExactly(key(3), key(1));
        assertThat(keys(store.all())).containsExactly(key(1), key(3));
        assertThat(keys(store.reverseAll())).containsExactly(key(3), key(1));
        assertThat(keys(store.prefixScan(key(3), Serdes.Bytes().serializer()))).containsExactly(key(3));
        assertThat(store.approximateNumEntries()).isEqualTo(inner.approximateNumEntries());
        assertThat(store.name()).isEqualTo("s");
        assertThat(store.persistent()).isEqualTo(inner.persistent());
        assertThat(store.isOpen()).isTrue();

        assertThat(inner.getPosition().isEmpty()).as("the wrapped store tracks its position").isFalse();
        assertThat(store.getPosition()).isEqualTo(Position.emptyPosition());

        store.close();
        assertThat(inner.isOpen()).isFalse();
    }

    @Test
    void shouldAnswerTheWrappedKeyValueStoresPositionWhileOffsetVectorsAreOn() {
        KeyValueStore<Bytes, byte[]> inner = Stores.inMemoryKeyValueStore("s").get();
        ChangelogPositionStore store = new ChangelogPositionStore(inner);
        store.init(context(vectorsOn()).getStateStoreContext(), store);

        store.put(key(1), new byte[] {1});

        assertThat(store.getPosition()).isEqualTo(inner.getPosition())
                .isEqualTo(Position.emptyPosition().withComponent("engagement.clean", 1, 42));
    }

    @Test
    void shouldPassEveryWindowReadAndWriteThroughAndAnswerAnEmptyPositionWhileOffsetVectorsAreOff() {
        WindowStore<Bytes, byte[]> inner = Stores.inMemoryWindowStore("w", RETENTION, WINDOW, false).get();
        ChangelogPositionWindowStore store = new ChangelogPositionWindowStore(inner);
        store.init(context(new Properties()).getStateStoreContext(), store);

        store.put(key(1), new byte[] {1}, 0);
        store.put(key(2), new byte[] {2}, 60_000);
        store.put(key(1), new byte[] {3}, 120_000);

        assertThat(store.fetch(key(1), 120_000)).containsExactly(3);
        assertThat(inner.fetch(key(2), 60_000)).containsExactly(2);
        assertThat(values(store.fetch(key(1), 0, 120_000))).containsExactly(1, 3);
        assertThat(values(store.backwardFetch(key(1), 0, 120_000))).containsExactly(3, 1);
        assertThat(windowedKeys(store.fetch(key(1), key(2), 0, 60_000))).containsExactly(key(1), key(2));
        assertThat(windowedKeys(store.backwardFetch(key(1), key(2), 0, 60_000))).containsExactly(key(2), key(1));
        assertThat(windowedKeys(store.fetchAll(60_000, 120_000))).containsExactly(key(2), key(1));
        assertThat(windowedKeys(store.backwardFetchAll(60_000, 120_000))).containsExactly(key(1), key(2));
        assertThat(windowedKeys(store.all())).containsExactly(key(1), key(2), key(1));
        assertThat(windowedKeys(store.backwardAll())).containsExactly(key(1), key(2), key(1));
        assertThat(store.name()).isEqualTo("w");
        assertThat(store.persistent()).isEqualTo(inner.persistent());
        assertThat(store.isOpen()).isTrue();

        assertThat(inner.getPosition().isEmpty()).as("the wrapped store tracks its position").isFalse();
        assertThat(store.getPosition()).isEqualTo(Position.emptyPosition());

        store.close();
        assertThat(inner.isOpen()).isFalse();
    }

    @Test
    void shouldAnswerTheWrappedWindowStoresPositionWhileOffsetVectorsAreOn() {
        WindowStore<Bytes, byte[]> inner = Stores.inMemoryWindowStore("w", RETENTION, WINDOW, false).get();
        ChangelogPositionWindowStore store = new ChangelogPositionWindowStore(inner);
        store.init(context(vectorsOn()).getStateStoreContext(), store);

        store.put(key(1), new byte[] {1}, 0);

        assertThat(store.getPosition()).isEqualTo(inner.getPosition())
                .isEqualTo(Position.emptyPosition().withComponent("engagement.clean", 1, 42));
    }

    @Test
    void shouldReadTheOffsetVectorSettingAsKafkaStreamsDoes() {
        assertThat(ChangelogPositions.vectorsEnabled(Map.of())).isFalse();
        assertThat(ChangelogPositions.vectorsEnabled(
                Map.of(StreamsConfig.InternalConfig.IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED, "true"))).isTrue();
        assertThat(ChangelogPositions.vectorsEnabled(
                Map.of(StreamsConfig.InternalConfig.IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED, false))).isFalse();
    }

    @Test
    void shouldKeepTheSuppliersDescriptionAndWrapEachStore() {
        KeyValueBytesStoreSupplier kv = ChangelogPositions.keyValue(Stores.persistentKeyValueStore("kv"));
        assertThat(kv.name()).isEqualTo("kv");
        assertThat(kv.metricsScope()).isEqualTo("rocksdb");
        assertThat(kv.get()).isInstanceOf(ChangelogPositionStore.class);

        WindowBytesStoreSupplier original = Stores.persistentWindowStore("win", RETENTION, WINDOW, true);
        WindowBytesStoreSupplier window = ChangelogPositions.window(original);
        assertThat(window.name()).isEqualTo("win");
        assertThat(window.metricsScope()).isEqualTo(original.metricsScope());
        assertThat(window.retentionPeriod()).isEqualTo(original.retentionPeriod());
        assertThat(window.windowSize()).isEqualTo(original.windowSize());
        assertThat(window.segmentIntervalMs()).isEqualTo(original.segmentIntervalMs());
        assertThat(window.retainDuplicates()).isTrue();
        assertThat(window.get()).isInstanceOf(ChangelogPositionWindowStore.class);

        var built = Stores.keyValueStoreBuilder(kv, Serdes.String(), Serdes.String()).withCachingEnabled().build();
        assertThat(ChangelogPositions.isWrapped(built)).isTrue();
        assertThat(ChangelogPositions.isWrapped(Stores.windowStoreBuilder(window, Serdes.String(), Serdes.String())
                .build())).isTrue();
        assertThat(ChangelogPositions.isWrapped(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("plain"),
                Serdes.String(), Serdes.String()).withCachingEnabled().build())).isFalse();
    }

    @Test
    void shouldRefuseATimestampedStoreWhoseMarkerTheWrapperWouldHide() {
        assertThatThrownBy(() -> ChangelogPositions.keyValue(Stores.persistentTimestampedKeyValueStore("ts")).get())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ts").hasMessageContaining("timestamped");
        assertThatThrownBy(() -> ChangelogPositions.window(
                Stores.persistentTimestampedWindowStore("tw", RETENTION, WINDOW, false)).get())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tw");
    }

    private static MockProcessorContext<String, Object> context(Properties config) {
        MockProcessorContext<String, Object> context = new MockProcessorContext<>(config);
        context.setRecordMetadata("engagement.clean", 1, 42);
        return context;
    }

    private static Properties vectorsOn() {
        Properties config = new Properties();
        config.put(StreamsConfig.InternalConfig.IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED, true);
        return config;
    }

    private static Bytes key(int i) {
        return Bytes.wrap(new byte[] {(byte) i});
    }

    private static List<Bytes> keys(KeyValueIterator<Bytes, byte[]> it) {
        List<Bytes> keys = new ArrayList<>();
        try (it) {
            while (it.hasNext()) {
                keys.add(it.next().key);
            }
        }
        return keys;
    }

    private static List<Bytes> windowedKeys(KeyValueIterator<Windowed<Bytes>, byte[]> it) {
        List<Bytes> keys = new ArrayList<>();
        try (it) {
            while (it.hasNext()) {
                keys.add(it.next().key.key());
            }
        }
        return keys;
    }

    private static List<Integer> values(KeyValueIterator<Long, byte[]> it) {
        List<Integer> values = new ArrayList<>();
        try (it) {
            while (it.hasNext()) {
                values.add((int) it.next().value[0]);
            }
        }
        return values;
    }
}

package io.streamfleet.session.topology;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ChangelogPositionStore} changes nothing but the position the change-logging layer asks for and drops: with
 * offset vectors off it is empty, with them on it is the wrapped store's; every read and write passes through.
 */
class ChangelogPositionStoreTest {

    @Test
    void shouldPassEveryReadAndWriteThroughAndAnswerAnEmptyPositionWhileOffsetVectorsAreOff() {
        KeyValueStore<Bytes, byte[]> inner = Stores.inMemoryKeyValueStore("s").get();
        ChangelogPositionStore store = new ChangelogPositionStore(inner);
        MockProcessorContext<String, Object> context = new MockProcessorContext<>();
        context.setRecordMetadata("engagement.clean", 1, 42);
        store.init(context.getStateStoreContext(), store);

        store.put(key(1), new byte[] {1});
        store.putAll(List.of(KeyValue.pair(key(2), new byte[] {2}), KeyValue.pair(key(3), new byte[] {3})));
        assertThat(store.putIfAbsent(key(1), new byte[] {9})).containsExactly(1);
        assertThat(store.delete(key(2))).containsExactly(2);

        assertThat(store.get(key(1))).containsExactly(1);
        assertThat(inner.get(key(3))).containsExactly(3);
        assertThat(keys(store.range(key(0), key(9)))).containsExactly(key(1), key(3));
        assertThat(keys(store.reverseAll())).containsExactly(key(3), key(1));
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
    void shouldAnswerTheWrappedStoresPositionWhileOffsetVectorsAreOn() {
        Properties config = new Properties();
        config.put(StreamsConfig.InternalConfig.IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED, true);
        KeyValueStore<Bytes, byte[]> inner = Stores.inMemoryKeyValueStore("s").get();
        ChangelogPositionStore store = new ChangelogPositionStore(inner);
        MockProcessorContext<String, Object> context = new MockProcessorContext<>(config);
        context.setRecordMetadata("engagement.clean", 1, 42);
        store.init(context.getStateStoreContext(), store);

        store.put(key(1), new byte[] {1});

        assertThat(store.getPosition()).isEqualTo(inner.getPosition())
                .isEqualTo(Position.emptyPosition().withComponent("engagement.clean", 1, 42));
    }

    @Test
    void shouldReadTheOffsetVectorSettingAsKafkaStreamsDoes() {
        assertThat(ChangelogPositionStore.vectorsEnabled(Map.of())).isFalse();
        assertThat(ChangelogPositionStore.vectorsEnabled(
                Map.of(StreamsConfig.InternalConfig.IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED, "true"))).isTrue();
        assertThat(ChangelogPositionStore.vectorsEnabled(
                Map.of(StreamsConfig.InternalConfig.IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED, false))).isFalse();
    }

    @Test
    void shouldWrapEveryStoreOfTheService() {
        assertThat(SessionStores.builders(false)).allSatisfy(builder -> {
            var store = builder.withLoggingDisabled().withCachingDisabled().build();
            assertThat(((WrappedStateStore<?, ?, ?>) store).wrapped()).as(store.name())
                    .isInstanceOf(ChangelogPositionStore.class);
        });
        assertThat(ChangelogPositionStore.wrapping(Stores.persistentKeyValueStore("x")).get())
                .isInstanceOf(ChangelogPositionStore.class);
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
}

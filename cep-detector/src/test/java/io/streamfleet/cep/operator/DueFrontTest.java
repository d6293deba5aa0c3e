package io.streamfleet.cep.operator;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Taking the due front of a time-ordered store: from the bound, in order, up to the first entry not due. */
class DueFrontTest {

    private final List<Long> visited = new ArrayList<>();
    private KeyValueStore<Bytes, byte[]> store;

    @BeforeEach
    void init() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("due-front"), Serdes.Bytes(),
                Serdes.ByteArray()).withLoggingDisabled().build();
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
        for (long t : new long[] {-5, 10, 20, 20, 30, 40}) {
            store.put(key(t, "k" + store.approximateNumEntries()), new byte[] {(byte) t});
        }
    }

    @Test
    void shouldTakeAndDeleteTheDueEntriesInKeyOrderWhenTheBoundIsBelowThemAll() {
        List<KeyValue<Bytes, byte[]>> taken = DueFront.take(store, StateCodec.bufferFrom(Long.MIN_VALUE),
                k -> time(k) < 25);

        assertThat(taken).extracting(e -> StateCodec.bufferKeyTime(e.key.get())).containsExactly(-5L, 10L, 20L, 20L);
        assertThat(taken).extracting(e -> (long) e.value[0]).containsExactly(-5L, 10L, 20L, 20L);
        assertThat(store.approximateNumEntries()).isEqualTo(2);
        assertThat(visited).as("stops at the first entry not due").containsExactly(-5L, 10L, 20L, 20L, 30L);
    }

    @Test
    void shouldNeverVisitEntriesBelowTheBoundWhenTaking() {
        // live entries below the bound stand in for what a real store has there: tombstones a seek must skip
        List<KeyValue<Bytes, byte[]>> taken = DueFront.take(store, StateCodec.bufferFrom(20), k -> time(k) < 35);

        assertThat(visited).containsExactly(20L, 20L, 30L, 40L);
        assertThat(taken).extracting(e -> StateCodec.bufferKeyTime(e.key.get())).containsExactly(20L, 20L, 30L);
        assertThat(store.get(key(-5, "k0"))).as("below the bound: untouched").isNotNull();
        assertThat(store.get(key(10, "k1"))).isNotNull();
    }

    @Test
    void shouldTakeNothingAndDeleteNothingWhenTheFirstEntryFromTheBoundIsNotDue() {
        assertThat(DueFront.take(store, StateCodec.bufferFrom(30), k -> time(k) < 30)).isEmpty();

        assertThat(store.approximateNumEntries()).isEqualTo(6);
        assertThat(visited).containsExactly(30L);
    }

    private long time(byte[] key) {
        long t = StateCodec.bufferKeyTime(key);
        visited.add(t);
        return t;
    }

    private static Bytes key(long timeMs, String id) {
        return Bytes.wrap(StateCodec.bufferKey(timeMs, "acc-1|ACME", id));
    }
}

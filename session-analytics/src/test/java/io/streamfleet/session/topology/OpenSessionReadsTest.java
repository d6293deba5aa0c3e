package io.streamfleet.session.topology;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link OpenSessionReads} answers every read exactly as the store would, and leaves the store holding exactly what
 * writing to it directly leaves — whatever the order of reads, writes and deletes and however small its bound.
 */
class OpenSessionReadsTest {

    /** One operation on a user: 0 read, 1 write, 2 delete, 3 write of null (a delete in Kafka Streams). */
    record Op(int kind, String user, byte[] value) {
    }

    @Property(tries = 300)
    void shouldReadWhatTheStoreHoldsAndWriteEverythingThrough(@ForAll("ops") List<Op> ops,
                                                              @ForAll @IntRange(min = 1, max = 5) int capacity) {
        KeyValueStore<String, byte[]> store = store();
        OpenSessionReads reads = new OpenSessionReads(store, capacity);
        Map<String, byte[]> expected = new HashMap<>();
        for (Op op : ops) {
            switch (op.kind()) {
                case 0 -> assertThat(reads.get(op.user())).as("read of %s", op.user())
                        .isEqualTo(expected.get(op.user())).isEqualTo(store.get(op.user()));
                case 1 -> {
                    reads.put(op.user(), op.value());
                    expected.put(op.user(), op.value());
                }
                case 2 -> {
                    reads.delete(op.user());
                    expected.remove(op.user());
                }
                default -> {
                    reads.put(op.user(), null);
                    expected.remove(op.user());
                }
            }
            assertThat(reads.remembered()).isLessThanOrEqualTo(capacity);
        }
        assertThat(contents(store)).containsExactlyInAnyOrderEntriesOf(expected);
        for (String user : List.of("a", "b", "c", "d", "e", "f", "g")) {
            assertThat(reads.get(user)).as("final read of %s", user).isEqualTo(expected.get(user));
        }
    }

    @Test
    void shouldReadAValueWrittenToTheStoreBeforeItWasCreated() {
        KeyValueStore<String, byte[]> store = store();
        store.put("alice", new byte[] {2, 7});

        OpenSessionReads reads = new OpenSessionReads(store, 10);

        assertThat(reads.get("alice")).containsExactly(2, 7);
        assertThat(reads.get("bob")).isNull();
        assertThat(reads.remembered()).isEqualTo(2);
    }

    @Test
    void shouldRejectANonPositiveBound() {
        assertThatThrownBy(() -> new OpenSessionReads(store(), 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity");
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Combinators.combine(Arbitraries.integers().between(0, 3),
                        Arbitraries.of("a", "b", "c", "d", "e", "f", "g"),
                        Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(4))
                .as(Op::new);
        return op.list().ofMaxSize(60);
    }

    private static KeyValueStore<String, byte[]> store() {
        KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("open"),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
        MockProcessorContext<String, Object> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
        return store;
    }

    private static Map<String, byte[]> contents(KeyValueStore<String, byte[]> store) {
        Map<String, byte[]> all = new HashMap<>();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> entry = it.next();
                all.put(entry.key, entry.value);
            }
        }
        return all;
    }
}

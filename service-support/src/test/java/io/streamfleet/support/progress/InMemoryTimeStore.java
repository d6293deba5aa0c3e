package io.streamfleet.support.progress;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.util.Map;
import java.util.TreeMap;

/** A task's time store as the progress tests use it: in memory, no changelog, initialised. */
final class InMemoryTimeStore {

    private InMemoryTimeStore() {
    }

    static KeyValueStore<String, Long> open() {
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        KeyValueStore<String, Long> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("time"),
                Serdes.String(), Serdes.Long()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        return store;
    }

    static Map<String, Long> contents(KeyValueStore<String, Long> store) {
        Map<String, Long> all = new TreeMap<>();
        try (KeyValueIterator<String, Long> it = store.all()) {
            it.forEachRemaining(kv -> all.put(kv.key, kv.value));
        }
        return all;
    }
}

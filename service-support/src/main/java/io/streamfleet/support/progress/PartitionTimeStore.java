package io.streamfleet.support.progress;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps a task's {@link PartitionTime} in a changelogged {@code KeyValueStore<String, Long>} (which may hold other
 * keys too). {@link #save} writes only the entries that changed since the last load or save, so a data record that
 * does not move time costs no store write, and the state is always that of the last record processed — written in
 * the same exactly-once transaction as the output. Package-private: stages use it through {@link TaskStreamTime},
 * which saves after every move, so no stage can forget the save.
 */
final class PartitionTimeStore {

    private static final String[] KEYS = {PartitionTime.STREAM_TIME, PartitionTime.BASE, PartitionTime.DATA_CLOCK,
            PartitionTime.DATA_PENDING};

    private final KeyValueStore<String, Long> store;
    private final Map<String, Long> saved = new HashMap<>();

    /** One per store, reused by every save. */
    private final PartitionTime.Sink writer = new PartitionTime.Sink() {
        @Override
        public void scalar(String key, long value) {
            Long before = saved.get(key);
            if (value == PartitionTime.NONE) {
                if (before != null) {
                    store.delete(key);
                    saved.remove(key);
                }
            } else if (before == null || before != value) {
                store.put(key, value);
                saved.put(key, value);
            }
        }

        @Override
        public void sources(String prefix, Map<String, Long> sources) {
            for (Map.Entry<String, Long> entry : sources.entrySet()) {
                String key = prefix + entry.getKey();
                if (!Objects.equals(saved.get(key), entry.getValue())) {
                    store.put(key, entry.getValue());
                    saved.put(key, entry.getValue());
                }
            }
            saved.keySet().removeIf(key -> {
                boolean gone = key.startsWith(prefix) && !sources.containsKey(key.substring(prefix.length()));
                if (gone) {
                    store.delete(key);
                }
                return gone;
            });
        }
    };

    PartitionTimeStore(KeyValueStore<String, Long> store) {
        this.store = store;
    }

    PartitionTime load(ProgressRules rules) {
        saved.clear();
        for (String key : KEYS) {
            Long value = store.get(key);
            if (value != null) {
                saved.put(key, value);
            }
        }
        try (KeyValueIterator<String, Long> it = store.prefixScan(PartitionTime.SOURCE_PREFIX, new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, Long> entry = it.next();
                saved.put(entry.key, entry.value);
            }
        }
        return PartitionTime.restore(rules, saved);
    }

    /**
     * Writes what changed since the last load or save: a data record that moved stream time costs one store write and no
     * map copy; the table of writers is rewritten only after a mark.
     */
    void save(PartitionTime time) {
        if (!time.changed()) {
            return;
        }
        time.saveTo(writer);
    }
}

package io.streamfleet.session.topology;

import org.apache.kafka.streams.state.KeyValueStore;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code session-open} store of one task with its latest values remembered for reading: every write and delete
 * goes to the store at once (so the store, its changelog and the exactly-once transaction see exactly the writes they
 * saw without this class), and also to a bounded, least-recently-used map of the values written or read last. A read
 * of a user held there — the next event of a user active a moment ago, nearly every event — costs a map lookup
 * instead of a transactional-buffer lookup and a RocksDB read; a read of any other user goes to the store.
 *
 * <p>The map holds nothing the store does not: this processor is the only writer of the store, every write passes
 * here, and the map starts empty whenever the processor is initialised (after a restore, a revival of a corrupted task,
 * a rebalance), so a read answers exactly what {@code store.get} answers. Bounded to {@code capacity} users per task;
 * values are the stored bytes, shared, never changed in place.
 */
final class OpenSessionReads {

    /** Users remembered per task: ~100-300 bytes each, so the default bounds the map to a few MB. */
    static final int DEFAULT_CAPACITY = 20_000;

    /** A user known to have no open session (the store holds no value). */
    private static final byte[] ABSENT = new byte[0];

    private final KeyValueStore<String, byte[]> store;
    private final Map<String, byte[]> recent;

    OpenSessionReads(KeyValueStore<String, byte[]> store, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.store = store;
        this.recent = new LinkedHashMap<>(Math.min(capacity, 1 << 16) * 4 / 3 + 1, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The stored value of {@code user}, or null. */
    byte[] get(String user) {
        byte[] known = recent.get(user);
        if (known != null) {
            return known == ABSENT ? null : known;
        }
        byte[] stored = store.get(user);
        recent.put(user, stored == null ? ABSENT : stored);
        return stored;
    }

    void put(String user, byte[] value) {
        store.put(user, value);
        recent.put(user, value == null ? ABSENT : value);
    }

    /** The store's delete without {@code delete()}'s read of the old value, which nothing uses: the same tombstone. */
    void delete(String user) {
        store.put(user, null);
        recent.put(user, ABSENT);
    }

    /** Users remembered now (tests). */
    int remembered() {
        return recent.size();
    }
}

package io.streamfleet.cep.operator;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Takes the due entries off the front of a time-ordered store (the buffer, the wake-up index): reads from a lower
 * bound while entries are due, then deletes what it read.
 *
 * <p>The bound is the whole point. The processor empties these stores from the front, so their low end is a run of
 * deleted keys; a store restored from its changelog replays every one of those deletes as a RocksDB tombstone, and
 * an iterator from the start of the store steps over all of them, on every evaluation, before it finds a live entry
 * (docs/cep-detector.md, "State scans after a restore": 10× slower evaluations after a restore). A range from the
 * bound is a seek, which lands past them. The caller must pass a bound below which nothing live can be stored.
 */
final class DueFront {

    private DueFront() {
    }

    /** Removes and returns, in key order, the entries from {@code from} on up to the first one that is not due. */
    static List<KeyValue<Bytes, byte[]>> take(KeyValueStore<Bytes, byte[]> store, byte[] from, Predicate<byte[]> due) {
        List<KeyValue<Bytes, byte[]>> taken = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(Bytes.wrap(from), null)) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> entry = it.next();
                if (!due.test(entry.key.get())) {
                    break;
                }
                taken.add(entry);
            }
        }
        for (KeyValue<Bytes, byte[]> entry : taken) {
            // put(key, null) is the store's delete without delete()'s read of the old value, which we already hold:
            // the same changelog tombstone, one RocksDB lookup less per entry (every order passes here once)
            store.put(entry.key, null);
        }
        return taken;
    }
}

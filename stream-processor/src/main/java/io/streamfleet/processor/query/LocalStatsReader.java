package io.streamfleet.processor.query;

import io.streamfleet.contracts.stats.OrderWindowStats;
import io.streamfleet.processor.stats.TopCancelRatio;
import io.streamfleet.processor.topology.ClosedWindowWatermarks;
import io.streamfleet.processor.topology.ProcessorStores;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads this instance's closed-window stores (active tasks only, so answers are never stale replicas). */
public final class LocalStatsReader {

    private final ClosedWindowWatermarks watermarks;
    private final String hoppingFamily;

    public LocalStatsReader(ClosedWindowWatermarks watermarks, String hoppingFamily) {
        this.watermarks = watermarks;
        this.hoppingFamily = hoppingFamily;
    }

    /** Closed windows of {@code key} in the store of {@code family} whose start lies in [from, to]. */
    public List<OrderWindowStats> windows(KafkaStreams streams, String storeName, String key, long fromMs,
                                          long toMs) {
        List<OrderWindowStats> result = new ArrayList<>();
        try (WindowStoreIterator<OrderWindowStats> it = store(streams, storeName)
                .fetch(key, Instant.ofEpochMilli(Math.max(0, fromMs)), Instant.ofEpochMilli(toMs))) {
            it.forEachRemaining(kv -> result.add(kv.value));
        }
        return result;
    }

    /** This instance's top-N over its own latest closed window end. */
    public TopKeys top(KafkaStreams streams, long windowSizeMs, long lastMinuteMs, long minCreated, int n) {
        long latest = watermarks.latest();
        if (latest == Long.MIN_VALUE) {
            return new TopKeys(Long.MIN_VALUE, lastMinuteMs, List.of());
        }
        long fromStart = Math.max(0, latest - lastMinuteMs - windowSizeMs + 1);
        long toStart = latest - windowSizeMs;
        List<OrderWindowStats> candidates = new ArrayList<>();
        if (toStart >= fromStart) {
            try (KeyValueIterator<Windowed<String>, OrderWindowStats> it = store(streams,
                    ProcessorStores.STATS_CLOSED_HOPPING)
                    .fetchAll(Instant.ofEpochMilli(fromStart), Instant.ofEpochMilli(toStart))) {
                while (it.hasNext()) {
                    KeyValue<Windowed<String>, OrderWindowStats> next = it.next();
                    if (hoppingFamily.equals(next.value.window())) {
                        candidates.add(next.value);
                    }
                }
            }
        }
        return new TopKeys(latest, lastMinuteMs, TopCancelRatio.rank(candidates, latest, lastMinuteMs, minCreated, n));
    }

    private static ReadOnlyWindowStore<String, OrderWindowStats> store(KafkaStreams streams, String name) {
        return streams.store(StoreQueryParameters.fromNameAndType(name,
                QueryableStoreTypes.<String, OrderWindowStats>windowStore()));
    }
}

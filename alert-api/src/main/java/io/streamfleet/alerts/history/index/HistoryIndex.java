package io.streamfleet.alerts.history.index;

import io.streamfleet.alerts.alert.FeedAlert;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Optional;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Alerts of the retention period ordered newest first by (detectedAtMs, alertId), deduplicated by alertId. The index
 * is a view: it is rebuilt from the alert topics on start, which are the durable record. Bounded by retention and by
 * a maximum count (oldest go first). Thread-safe.
 */
public final class HistoryIndex {

    private static final Comparator<Key> NEWEST_FIRST = Comparator.comparingLong(Key::detectedAtMs).reversed()
            .thenComparing(Key::alertId, Comparator.reverseOrder());
    /** Sorts after every real alert id, so a key built from it is the first of its millisecond in this order. */
    private static final String AFTER_ALL_IDS = "\uffff";

    private final ConcurrentSkipListMap<Key, FeedAlert> byTime = new ConcurrentSkipListMap<>(NEWEST_FIRST);
    private final Map<String, Key> byId = new ConcurrentHashMap<>();
    private final long retentionMs;
    private final int maxAlerts;

    public HistoryIndex(long retentionMs, int maxAlerts) {
        this.retentionMs = retentionMs;
        this.maxAlerts = maxAlerts;
    }

    /** Adds an alert unless it is already known or older than the retention; returns whether it was added. */
    public boolean add(FeedAlert alert, long nowMs) {
        long detectedAt = alert.alert().detectedAtMs();
        if (detectedAt < nowMs - retentionMs) {
            return false;
        }
        Key key = new Key(detectedAt, alert.alert().alertId());
        if (byId.putIfAbsent(key.alertId(), key) != null) {
            return false;
        }
        byTime.put(key, alert);
        while (byTime.size() > maxAlerts) {
            Map.Entry<Key, FeedAlert> oldest = byTime.pollLastEntry();
            if (oldest != null) {
                byId.remove(oldest.getKey().alertId());
            }
        }
        return true;
    }

    /** Drops what fell out of the retention. */
    public void prune(long nowMs) {
        long limit = nowMs - retentionMs;
        Map.Entry<Key, FeedAlert> oldest;
        while ((oldest = byTime.lastEntry()) != null && oldest.getKey().detectedAtMs() < limit) {
            if (byTime.remove(oldest.getKey()) != null) {
                byId.remove(oldest.getKey().alertId());
            }
        }
    }

    public HistoryPage query(HistoryQuery query) {
        Key start = new Key(query.toMs() == Long.MAX_VALUE ? Long.MAX_VALUE : query.toMs() - 1, AFTER_ALL_IDS);
        Map<Key, FeedAlert> candidates = byTime.tailMap(start, true);
        if (query.after() != null) {
            Key after = new Key(query.after().detectedAtMs(), query.after().alertId());
            if (NEWEST_FIRST.compare(after, start) > 0) {
                candidates = byTime.tailMap(after, false);
            }
        }
        List<FeedAlert> items = new ArrayList<>(Math.min(query.limit(), 256));
        HistoryCursor next = null;
        for (Map.Entry<Key, FeedAlert> entry : candidates.entrySet()) {
            if (entry.getKey().detectedAtMs() < query.fromMs()) {
                break;
            }
            if (!query.filter().matches(entry.getValue().alert())) {
                continue;
            }
            if (items.size() == query.limit()) {
                FeedAlert last = items.get(items.size() - 1);
                next = new HistoryCursor(last.alert().detectedAtMs(), last.alert().alertId());
                break;
            }
            items.add(entry.getValue());
        }
        return new HistoryPage(List.copyOf(items), next);
    }

    /** The retained alert with this id, if any. */
    public Optional<FeedAlert> get(String alertId) {
        Key key = byId.get(alertId);
        return key == null ? Optional.empty() : Optional.ofNullable(byTime.get(key));
    }

    /** A weakly consistent live view of every retained alert, newest first (for aggregates such as the overview). */
    public Collection<FeedAlert> all() {
        return Collections.unmodifiableCollection(byTime.values());
    }

    public int size() {
        return byTime.size();
    }

    private record Key(long detectedAtMs, String alertId) {
    }
}

package io.streamfleet.alerts.evidence;

import io.streamfleet.contracts.evidence.AlertEvidence;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The latest alerts' evidence (matched orders) by alert id, for the console's drill-down. A view rebuilt from
 * {@code alerts.evidence} on start, bounded by count: the oldest arrival goes first, so memory stays at most
 * {@code maxAlerts} × the detector's per-alert cap of orders. Redelivered evidence for a known id replaces it in place.
 * Thread-safe.
 */
public final class EvidenceIndex {

    private final int maxAlerts;
    private final LinkedHashMap<String, AlertEvidence> byId = new LinkedHashMap<>();
    private long orders;

    public EvidenceIndex(int maxAlerts) {
        if (maxAlerts < 1) {
            throw new IllegalArgumentException("evidence max-alerts must be at least 1, was " + maxAlerts);
        }
        this.maxAlerts = maxAlerts;
    }

    public synchronized void add(AlertEvidence evidence) {
        AlertEvidence previous = byId.put(evidence.alertId(), evidence);
        orders += evidence.orders().size() - (previous == null ? 0 : previous.orders().size());
        while (byId.size() > maxAlerts) {
            Map.Entry<String, AlertEvidence> oldest = byId.entrySet().iterator().next();
            orders -= oldest.getValue().orders().size();
            byId.remove(oldest.getKey());
        }
    }

    public synchronized Optional<AlertEvidence> get(String alertId) {
        return Optional.ofNullable(byId.get(alertId));
    }

    /** Alerts held. */
    public synchronized int size() {
        return byId.size();
    }

    /** Orders held over all alerts (what the memory bound is about). */
    public synchronized long orders() {
        return orders;
    }
}

package io.streamfleet.cep.burst;

import io.streamfleet.contracts.alert.AlertType;
import io.streamfleet.contracts.alert.AnomalyAlert;
import io.streamfleet.contracts.id.AlertIds;

import java.util.List;
import java.util.Locale;

/**
 * One detected burst-create / mass-cancel episode, everything but the detection time.
 *
 * @param accountId          account
 * @param symbol             symbol
 * @param windowStartMs      earliest time in B
 * @param windowEndMs        latest time in B ∪ C
 * @param created            |B|
 * @param canceled           |C|
 * @param cancelRatio        min(|C|,|B|)/|B|, 3 decimals half-up
 * @param createdPriceLevels sorted distinct tick levels of B
 * @param firstBurstEventId  id of the first event of B (part of the alert id)
 * @param lastEventId        id of the last event of C (the event that completed the episode)
 * @param lastIngestedAtMs   gateway ingestion time of that last event, or {@link TrackedOrder#UNKNOWN_INGESTION}
 */
public record BurstDetection(String accountId, String symbol, long windowStartMs, long windowEndMs, int created,
                             int canceled, double cancelRatio, List<Long> createdPriceLevels,
                             String firstBurstEventId, String lastEventId, long lastIngestedAtMs) {

    public BurstDetection {
        createdPriceLevels = List.copyOf(createdPriceLevels);
    }

    /** Deterministic: the same episode always has the same id. */
    public String alertId() {
        return AlertIds.anomaly(accountId, symbol, windowStartMs, firstBurstEventId);
    }

    public AnomalyAlert toAlert(long detectedAtMs) {
        return new AnomalyAlert(alertId(), AlertType.BURST_CREATE_MASS_CANCEL, accountId, symbol, windowStartMs,
                windowEndMs, created, canceled, cancelRatio, createdPriceLevels.size(), createdPriceLevels,
                detectedAtMs, note());
    }

    /** Human-readable summary for consoles and webhooks. */
    public String note() {
        return String.format(Locale.ROOT,
                "%d orders created at %d price levels, %d cancelled (ratio %.3f) within %d ms on %s/%s",
                created, createdPriceLevels.size(), canceled, cancelRatio, windowEndMs - windowStartMs,
                accountId, symbol);
    }
}

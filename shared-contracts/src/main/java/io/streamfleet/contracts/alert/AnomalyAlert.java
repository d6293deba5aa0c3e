package io.streamfleet.contracts.alert;

import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.validation.FieldChecks;
import io.streamfleet.contracts.validation.FieldError;
import io.streamfleet.contracts.validation.Validatable;

import java.util.List;

/**
 * A burst-create / mass-cancel detection (docs/contracts.md#anomaly-alerts, docs/cep-detector.md#detection-rule).
 *
 * @param alertId            deterministic: the same episode always yields the same id
 * @param type               always {@link AlertType#BURST_CREATE_MASS_CANCEL}
 * @param windowStartMs      earliest event time in the burst
 * @param windowEndMs        latest event time in burst and cancels
 * @param created            burst size
 * @param canceled           cancel set size
 * @param cancelRatio        min(canceled, created) / created, 3 decimals half-up
 * @param uniquePriceLevels  distinct tick levels in the burst
 * @param createdPriceLevels sorted distinct tick levels in the burst
 * @param detectedAtMs       the detector's stream time (event time) when it emitted the alert, so a replay of the same
 *                           raw log gives the same value (docs/event-time.md)
 * @param note               human-readable summary
 */
public record AnomalyAlert(
        String alertId,
        AlertType type,
        String accountId,
        String symbol,
        long windowStartMs,
        long windowEndMs,
        int created,
        int canceled,
        double cancelRatio,
        int uniquePriceLevels,
        List<Long> createdPriceLevels,
        long detectedAtMs,
        String note) implements Alert, Validatable {

    public AnomalyAlert {
        createdPriceLevels = createdPriceLevels == null ? List.of() : List.copyOf(createdPriceLevels);
    }

    @Override
    public String key() {
        return OrderEvent.keyOf(accountId, symbol);
    }

    @Override
    public List<FieldError> violations() {
        return new FieldChecks()
                .text("alertId", alertId, 1, 128)
                .check(type == AlertType.BURST_CREATE_MASS_CANCEL, "type", "must be BURST_CREATE_MASS_CANCEL")
                .text("accountId", accountId, 1, OrderEvent.MAX_ACCOUNT_ID)
                .text("symbol", symbol, 1, OrderEvent.MAX_SYMBOL)
                .check(windowEndMs >= windowStartMs, "windowEndMs", "must not be before windowStartMs")
                .positive("created", created)
                .nonNegative("canceled", canceled)
                .check(cancelRatio >= 0 && cancelRatio <= 1, "cancelRatio", "must be between 0 and 1")
                .check(uniquePriceLevels == createdPriceLevels.size(), "uniquePriceLevels",
                        "must equal the number of createdPriceLevels")
                .errors();
    }
}

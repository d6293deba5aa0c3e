package io.streamfleet.alerts;

import io.streamfleet.alerts.alert.FeedAlert;
import io.streamfleet.contracts.alert.AlertType;
import io.streamfleet.contracts.alert.AnomalyAlert;
import io.streamfleet.contracts.alert.EngagementAlert;
import io.streamfleet.contracts.json.ContractMapper;

import java.util.List;

/** Alerts for tests. */
public final class TestAlerts {

    private TestAlerts() {
    }

    public static AnomalyAlert anomaly(String alertId, String accountId, String symbol, long detectedAtMs) {
        return new AnomalyAlert(alertId, AlertType.BURST_CREATE_MASS_CANCEL, accountId, symbol, detectedAtMs - 3000,
                detectedAtMs - 1000, 12, 10, 0.833, 3, List.of(10000L, 10001L, 10002L), detectedAtMs,
                "12 created, 10 cancelled");
    }

    public static EngagementAlert engagement(String alertId, String userId, long detectedAtMs) {
        return new EngagementAlert(alertId, AlertType.ENGAGEMENT_DROP, userId, detectedAtMs - 60_000,
                detectedAtMs - 1000, 1200.0, 4000.0, 0.7, detectedAtMs, "ASD fell 70 %");
    }

    public static FeedAlert feed(io.streamfleet.contracts.alert.Alert alert, String topic, int partition, long offset) {
        return new FeedAlert(topic, partition, offset, -1, alert, ContractMapper.shared().writeValueAsString(alert));
    }
}

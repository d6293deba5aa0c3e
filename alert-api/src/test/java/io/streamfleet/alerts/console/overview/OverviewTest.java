package io.streamfleet.alerts.console.overview;

import io.streamfleet.contracts.alert.AlertType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.streamfleet.alerts.TestAlerts.anomaly;
import static io.streamfleet.alerts.TestAlerts.engagement;
import static org.assertj.core.api.Assertions.assertThat;

class OverviewTest {

    private static final long NOW = 1_700_000_000_000L - 1_700_000_000_000L % 60_000 + 30_000;

    @Test
    void shouldCountAlertsPerMinuteByTypeAtTheirArrivalTime() {
        List<Overview.Arrival> arrivals = List.of(
                new Overview.Arrival(anomaly("a1", "acc-1", "AAPL", 0), NOW - 1_000),
                new Overview.Arrival(anomaly("a2", "acc-1", "MSFT", 0), NOW - 20_000),
                new Overview.Arrival(anomaly("a3", "acc-2", "AAPL", 0), NOW - 60_000),
                new Overview.Arrival(engagement("e1", "user-1", 0), NOW - 59 * 60_000L),
                // outside the hour, and in the future: not counted
                new Overview.Arrival(anomaly("old", "acc-9", "X", 0), NOW - 61 * 60_000L),
                new Overview.Arrival(anomaly("future", "acc-9", "X", 0), NOW + 5_000));

        Overview overview = Overview.of(arrivals, NOW, 60, 5);

        assertThat(overview.minuteMs()).hasSize(60);
        assertThat(overview.minuteMs().get(59)).isEqualTo(NOW - 30_000);
        List<Integer> bursts = overview.perMinute().get(AlertType.BURST_CREATE_MASS_CANCEL);
        assertThat(bursts.get(59)).isEqualTo(2);
        assertThat(bursts.get(58)).isEqualTo(1);
        assertThat(overview.perMinute().get(AlertType.ENGAGEMENT_DROP).get(0)).isEqualTo(1);
        assertThat(overview.total()).isEqualTo(4);
        assertThat(overview.accounts()).containsExactly(new Overview.Count("acc-1", 2), new Overview.Count("acc-2", 1));
        assertThat(overview.symbols()).containsExactly(new Overview.Count("AAPL", 2), new Overview.Count("MSFT", 1));
        assertThat(overview.users()).containsExactly(new Overview.Count("user-1", 1));
    }

    @Test
    void shouldKeepOnlyTheTopSubjectsTiesByName() {
        List<Overview.Arrival> arrivals = List.of("b", "a", "c", "a", "d").stream()
                .map(acc -> new Overview.Arrival(anomaly("x-" + acc + Math.random(), acc, "S", 0), NOW)).toList();
        assertThat(Overview.of(arrivals, NOW, 60, 2).accounts())
                .containsExactly(new Overview.Count("a", 2), new Overview.Count("b", 1));
    }
}

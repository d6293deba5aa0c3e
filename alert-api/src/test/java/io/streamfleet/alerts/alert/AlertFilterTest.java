package io.streamfleet.alerts.alert;

import io.streamfleet.contracts.alert.AlertType;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static io.streamfleet.alerts.TestAlerts.anomaly;
import static io.streamfleet.alerts.TestAlerts.engagement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlertFilterTest {

    @Test
    void shouldMatchEverythingWhenNoCriterionIsSet() {
        assertThat(AlertFilter.ALL.matches(anomaly("a", "acc", "AAPL", 1))).isTrue();
        assertThat(AlertFilter.ALL.matches(engagement("e", "u1", 1))).isTrue();
    }

    @Test
    void shouldKeepOnlyTheSubjectWhenAccountAndSymbolAreSet() {
        AlertFilter filter = AlertFilter.parse(null, "acc", "AAPL", null);
        assertThat(filter.matches(anomaly("a", "acc", "AAPL", 1))).isTrue();
        assertThat(filter.matches(anomaly("a", "acc", "MSFT", 1))).isFalse();
        assertThat(filter.matches(anomaly("a", "other", "AAPL", 1))).isFalse();
        assertThat(filter.matches(engagement("e", "acc", 1))).isFalse();
    }

    @Test
    void shouldExcludeAnomaliesWhenUserIdIsSet() {
        AlertFilter filter = AlertFilter.parse("", null, null, "u1");
        assertThat(filter.matches(engagement("e", "u1", 1))).isTrue();
        assertThat(filter.matches(engagement("e", "u2", 1))).isFalse();
        assertThat(filter.matches(anomaly("a", "u1", "AAPL", 1))).isFalse();
    }

    @Test
    void shouldParseSeveralTypesCaseInsensitivelyWhenCommaSeparated() {
        assertThat(AlertFilter.parse("engagement_drop, BURST_CREATE_MASS_CANCEL", null, null, null).types())
                .isEqualTo(Set.of(AlertType.ENGAGEMENT_DROP, AlertType.BURST_CREATE_MASS_CANCEL));
        assertThat(AlertFilter.parse("ENGAGEMENT_DROP", null, null, null).matches(anomaly("a", "x", "y", 1)))
                .isFalse();
    }

    @Test
    void shouldNameTheParameterWhenTypeIsUnknown() {
        assertThatThrownBy(() -> AlertFilter.parse("SPOOF", null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("type: unknown alert type 'SPOOF'");
    }
}

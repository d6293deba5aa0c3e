package io.streamfleet.contracts;

import io.streamfleet.contracts.alert.AlertType;
import io.streamfleet.contracts.id.AlertIds;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AlertIdsTest {

    @Property
    void shouldGiveTheSameIdForTheSameEpisode(@ForAll String account, @ForAll String symbol, @ForAll long start,
                                              @ForAll String firstEventId) {
        assertThat(AlertIds.anomaly(account, symbol, start, firstEventId))
                .isEqualTo(AlertIds.anomaly(account, symbol, start, firstEventId))
                .startsWith("bcmc_")
                .hasSize(5 + 32);
    }

    @Property
    void shouldGiveDifferentIdsForDifferentSessions(@ForAll String user, @ForAll long start, @ForAll long end) {
        assertThat(AlertIds.engagementDrop(user, start, end)).isNotEqualTo(AlertIds.engagementDrop(user, start, end + 1));
    }

    @Test
    void shouldNotConfuseDifferentSplitsOfTheSameCharacters() {
        assertThat(AlertIds.of(AlertType.ENGAGEMENT_DROP, "a|b", "c"))
                .isNotEqualTo(AlertIds.of(AlertType.ENGAGEMENT_DROP, "a", "b|c"));
    }

    @Test
    void shouldSeparateAlertTypes() {
        assertThat(AlertIds.of(AlertType.ENGAGEMENT_DROP, "x")).isNotEqualTo(AlertIds.of(AlertType.BURST_CREATE_MASS_CANCEL, "x"));
    }
}

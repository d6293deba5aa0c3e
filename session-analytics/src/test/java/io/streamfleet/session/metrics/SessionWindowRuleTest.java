package io.streamfleet.session.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionWindowRuleTest {

    private final SessionWindowRule rule = new SessionWindowRule(1_000, 100);

    @Test
    void shouldJoinEventsExactlyOneGapApartButNotOneMillisecondMore() {
        assertThat(rule.joins(2_000, 500, 1_000)).isTrue();
        assertThat(rule.joins(2_001, 500, 1_000)).isFalse();
        assertThat(rule.joins(-500, 500, 1_000)).isTrue();
        assertThat(rule.joins(-501, 500, 1_000)).isFalse();
    }

    @Test
    void shouldCallLateOnlyWhatIsBehindStreamTimeByMoreThanTheGrace() {
        assertThat(rule.isLate(900, 1_000)).isFalse();
        assertThat(rule.isLate(899, 1_000)).isTrue();
        assertThat(rule.isLate(0, Long.MIN_VALUE)).as("nothing is late before the first event").isFalse();
    }

    @Test
    void shouldCloseSessionOnlyOnceStreamTimePassesEndPlusGapPlusGrace() {
        assertThat(rule.isClosed(1_000, 2_100)).isFalse();
        assertThat(rule.isClosed(1_000, 2_101)).isTrue();
        assertThat(rule.closedBeforeMs(2_101)).isEqualTo(1_001);
    }

    @Test
    void shouldNeverLetAnEventThatIsNotLateReachAClosedSession() {
        for (long streamTime = 0; streamTime < 5_000; streamTime += 7) {
            long oldestAccepted = rule.watermarkMs(streamTime);
            long newestClosedEnd = rule.closedBeforeMs(streamTime) - 1;
            assertThat(rule.joins(oldestAccepted, newestClosedEnd, newestClosedEnd)).isFalse();
        }
    }

    @Test
    void shouldRejectNonPositiveGapAndNegativeGrace() {
        assertThatThrownBy(() -> new SessionWindowRule(0, 0)).hasMessageContaining("gap");
        assertThatThrownBy(() -> new SessionWindowRule(10, -1)).hasMessageContaining("grace");
    }
}

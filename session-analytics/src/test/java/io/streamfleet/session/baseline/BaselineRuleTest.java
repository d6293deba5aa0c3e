package io.streamfleet.session.baseline;

import io.streamfleet.contracts.alert.EngagementAlert;
import io.streamfleet.contracts.stats.EngagementSession;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class BaselineRuleTest {

    private final BaselineRule rule = new BaselineRule(0.3, 0.30);

    @Test
    void shouldSetBaselineFromFirstSessionWithoutAlerting() {
        BaselineRule.Verdict verdict = rule.judge(null, session(0, 10), 1_000);

        assertThat(verdict.drop()).isFalse();
        assertThat(verdict.prior()).isNull();
        assertThat(verdict.next().emaAsdMs()).isEqualTo(1_000);
        assertThat(verdict.next().sessions()).isEqualTo(1);
    }

    @Test
    void shouldAlertAtExactlyThirtyPercentDropButNotAtTwentyNinePointNine() {
        Baseline baseline = Baseline.first(session(0, 10), 1_000);

        assertThat(rule.judge(baseline, session(100, 110), 700).drop()).isTrue();
        assertThat(rule.judge(baseline, session(100, 110), 701).drop()).isFalse();
        assertThat(rule.judge(baseline, session(100, 110), 700.1).drop()).isFalse();
        assertThat(rule.judge(baseline, session(100, 110), 699.9).drop()).isTrue();
    }

    @Test
    void shouldNeverAlertAgainstAZeroBaselineButStillFoldTheSession() {
        Baseline zero = Baseline.first(session(0, 10), 0);

        BaselineRule.Verdict verdict = rule.judge(zero, session(100, 110), 0);
        assertThat(verdict.drop()).isFalse();
        assertThat(verdict.dropRatio()).isZero();
        assertThat(rule.judge(zero, session(100, 110), 500).next().emaAsdMs()).isEqualTo(150);
    }

    @Test
    void shouldAlertWhenSessionWithoutViewEndsFollowsAPositiveBaseline() {
        Baseline baseline = Baseline.first(session(0, 10), 2_000);

        BaselineRule.Verdict verdict = rule.judge(baseline, session(100, 110), 0);
        assertThat(verdict.drop()).isTrue();
        assertThat(verdict.dropRatio()).isEqualTo(1.0);
    }

    @Test
    void shouldFoldEverySessionIntoTheEmaAfterJudgingIt() {
        Baseline b = rule.judge(null, session(0, 1), 1_000).next();
        BaselineRule.Verdict second = rule.judge(b, session(10, 11), 500);
        assertThat(second.drop()).isTrue();
        assertThat(second.next().emaAsdMs()).isEqualTo(0.3 * 500 + 0.7 * 1_000);
        BaselineRule.Verdict third = rule.judge(second.next(), session(20, 21), 600);
        assertThat(third.prior().emaAsdMs()).isEqualTo(850);
        assertThat(third.drop()).as("600 vs 850 is a 29.4 %% drop").isFalse();
        assertThat(third.next().sessions()).isEqualTo(3);
    }

    @Test
    void shouldKeepOnlyTheLatestFiveSessionsNewestLast() {
        Baseline b = null;
        for (int i = 0; i < 8; i++) {
            b = rule.judge(b, session(i * 100L, i * 100L + 10), 1_000).next();
        }
        assertThat(b.recent()).hasSize(Baseline.RECENT);
        assertThat(b.recent().get(4).sessionStartMs()).isEqualTo(700);
        assertThat(b.recent().get(0).sessionStartMs()).isEqualTo(300);
    }

    @Property(tries = 500)
    void shouldAgreeWithAnIndependentDecimalReadingOfTheRule(@ForAll @DoubleRange(min = 1, max = 100_000) double base,
                                                              @ForAll @DoubleRange(min = 0, max = 100_000) double asd) {
        Baseline baseline = Baseline.first(session(0, 1), base);
        // reference: (baseline - asd) / baseline >= 0.30, in exact decimal arithmetic
        BigDecimal ratio = new BigDecimal(base).subtract(new BigDecimal(asd))
                .divide(new BigDecimal(base), MathContext.DECIMAL128);
        boolean expected = ratio.compareTo(new BigDecimal("0.30")) >= 0;

        assertThat(rule.judge(baseline, session(10, 11), asd).drop()).isEqualTo(expected);
    }

    @Test
    void shouldBuildAlertWithDeterministicIdAndRoundedFigures() {
        Baseline baseline = Baseline.first(session(0, 10), 1_000.06);
        EngagementSession session = session(1_000, 2_000);
        BaselineRule.Verdict verdict = rule.judge(baseline, session, 333.33);

        EngagementAlert alert = DropAlerts.of(session, 333.33, verdict, 42);
        EngagementAlert again = DropAlerts.of(session, 333.33, verdict, 99);
        assertThat(alert.alertId()).isEqualTo(again.alertId()).startsWith("edrop_");
        assertThat(alert.asdMs()).isEqualTo(333.3);
        assertThat(alert.baselineAsdMs()).isEqualTo(1_000.1);
        assertThat(alert.dropRatio()).isCloseTo(0.667, within(1e-12));
        assertThat(alert.sessionStartMs()).isEqualTo(1_000);
        assertThat(alert.sessionEndMs()).isEqualTo(2_000);
        assertThat(alert.detectedAtMs()).isEqualTo(42);
        assertThat(alert.violations()).isEmpty();
        assertThat(alert.note()).contains("below the baseline");
    }

    @Test
    void shouldRejectAlphaAndThresholdOutsideTheUnitInterval() {
        assertThatThrownBy(() -> new BaselineRule(0, 0.3)).hasMessageContaining("alpha");
        assertThatThrownBy(() -> new BaselineRule(1.1, 0.3)).hasMessageContaining("alpha");
        assertThatThrownBy(() -> new BaselineRule(0.3, 0)).hasMessageContaining("threshold");
    }

    private static EngagementSession session(long start, long end) {
        return new EngagementSession("u", start, end, 1, 1, 0, 0, 0);
    }

}

package io.streamfleet.processor.lateness;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class LatenessRuleTest {

    private final LatenessRule rule = LatenessRule.of(Duration.ofSeconds(3));

    @Test
    void shouldBeLateOnlyWhenStrictlyBehindStreamTimeMinusLateness() {
        assertThat(rule.isLate(7_000, 10_000)).isFalse();
        assertThat(rule.isLate(6_999, 10_000)).isTrue();
        assertThat(rule.watermarkMs(10_000)).isEqualTo(7_000);
    }

    @Test
    void shouldNeverBeLateWhenNoStreamTimeExistsYet() {
        assertThat(rule.isLate(0, Long.MIN_VALUE)).isFalse();
        assertThat(rule.watermarkMs(Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
    }
}

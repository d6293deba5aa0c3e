package io.streamfleet.processor.dedup;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DedupRuleTest {

    private final DedupRule rule = DedupRule.of(Duration.ofMinutes(10));

    @Test
    void shouldCountAsDuplicateWhenFirstSeenWithinRetentionEitherSide() {
        assertThat(rule.isDuplicate(1_000, 1_000)).isTrue();
        assertThat(rule.isDuplicate(1_000, 1_000 + 600_000)).isTrue();
        assertThat(rule.isDuplicate(1_000 + 600_000, 1_000)).isTrue();
    }

    @Test
    void shouldCountAsNewWhenFirstSeenBeyondRetention() {
        assertThat(rule.isDuplicate(1_000, 1_000 + 600_001)).isFalse();
        assertThat(rule.isDuplicate(1_000 + 600_001, 1_000)).isFalse();
    }

    @Test
    void shouldLookUpExactlyTheRetentionAroundTheEventWhenQueryingTheStore() {
        assertThat(rule.lookupFromMs(700_000)).isEqualTo(100_000);
        assertThat(rule.lookupToMs(700_000)).isEqualTo(1_300_000);
        assertThat(rule.lookupToMs(Long.MAX_VALUE - 5)).isEqualTo(Long.MAX_VALUE);
        assertThat(rule.storeRetentionMs(3_000)).isEqualTo(603_000);
    }

    @Test
    void shouldRejectRetentionWhenNotPositive() {
        assertThatThrownBy(() -> new DedupRule(0)).hasMessageContaining("retention");
    }
}

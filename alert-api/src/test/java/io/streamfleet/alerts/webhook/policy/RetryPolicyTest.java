package io.streamfleet.alerts.webhook.policy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(8, Duration.ofSeconds(5), 4, Duration.ofHours(2), 0.2);

    @Test
    void shouldGrowExponentiallyUpToTheCapWhenNoJitterApplies() {
        long[] expected = {5_000, 20_000, 80_000, 320_000, 1_280_000, 5_120_000, 7_200_000};
        for (int attempt = 1; attempt <= 7; attempt++) {
            assertThat(policy.nextDelay(attempt, null, 0).orElseThrow().toMillis()).isEqualTo(expected[attempt - 1]);
        }
    }

    @Test
    void shouldGiveUpWhenTheLastAttemptFailed() {
        assertThat(policy.nextDelay(8, null, 0.5)).isEmpty();
        assertThat(new RetryPolicy(1, Duration.ofSeconds(1), 2, Duration.ofSeconds(1), 0).nextDelay(1, null, 0))
                .isEmpty();
    }

    @Property
    void shouldStayWithinTheJitterBandWhenRandomized(@ForAll @IntRange(min = 1, max = 7) int attempt,
                                                     @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double random) {
        long base = policy.nextDelay(attempt, null, 0).orElseThrow().toMillis();
        long delay = policy.nextDelay(attempt, null, random).orElseThrow().toMillis();
        assertThat(delay).isBetween(Math.round(base * 0.8) - 1, base);
    }

    @Test
    void shouldWaitAtLeastRetryAfterButNoLongerThanTheCapWhenTheEndpointAsks() {
        assertThat(policy.nextDelay(1, Duration.ofSeconds(60), 0).orElseThrow()).isEqualTo(Duration.ofSeconds(60));
        assertThat(policy.nextDelay(1, Duration.ofSeconds(1), 0).orElseThrow()).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.nextDelay(1, Duration.ofDays(2), 0).orElseThrow()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void shouldRejectNonsenseWhenConfigured() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ofSeconds(1), 2, Duration.ofSeconds(2), 0))
                .hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(1), 0.5, Duration.ofSeconds(2), 0))
                .hasMessageContaining("multiplier");
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(1), 2, Duration.ofSeconds(2), 1))
                .hasMessageContaining("jitter");
    }

    @Test
    void shouldReadRetryAfterWhenGivenSecondsOrAnHttpDate() {
        long now = ZonedDateTime.of(2026, 11, 24, 10, 0, 0, 0, ZoneOffset.UTC).toInstant().toEpochMilli();
        assertThat(RetryAfter.parse("120", now)).contains(Duration.ofSeconds(120));
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.of(2026, 11, 24, 10, 0, 30, 0, ZoneOffset.UTC));
        assertThat(RetryAfter.parse(date, now)).contains(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("soon", now)).isEqualTo(Optional.empty());
        assertThat(RetryAfter.parse(null, now)).isEmpty();
    }
}

package io.streamfleet.gateway.admission;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admission rule against a reference written out from its doc sentence: refuse once the request has waited half
 * of max-hold, or the oldest unanswered publish is at least half of max-hold old, or when the events would go above
 * the cap while something is in flight.
 */
class AdmissionLimitsPropertiesTest {

    private static AdmissionVerdict reference(long maxHoldMs, int cap, long waitedNanos, long ageNanos, long inFlight,
                                              int events) {
        boolean waitedTooLong = 2 * waitedNanos >= maxHoldMs * 1_000_000L;
        boolean tooOld = 2 * ageNanos >= maxHoldMs * 1_000_000L;
        boolean tooMany = inFlight != 0 && inFlight + Math.max(1, events) > cap;
        return waitedTooLong ? AdmissionVerdict.REFUSE_REQUEST_AGE : tooOld ? AdmissionVerdict.REFUSE_HOLD_AGE
                : tooMany ? AdmissionVerdict.REFUSE_IN_FLIGHT_EVENTS : AdmissionVerdict.ADMIT;
    }

    @Property(tries = 2000)
    void shouldDecideAsTheReferenceRule(@ForAll @LongRange(min = 2, max = 10_000) long maxHoldMs,
                                         @ForAll @IntRange(min = 1, max = 50_000) int cap,
                                         @ForAll @LongRange(min = 0, max = 20_000_000_000L) long waitedNanos,
                                         @ForAll @LongRange(min = 0, max = 20_000_000_000L) long ageNanos,
                                         @ForAll @LongRange(min = 0, max = 100_000) long inFlight,
                                         @ForAll @IntRange(min = 0, max = 5_000) int events) {
        AdmissionLimits limits = new AdmissionLimits(Duration.ofMillis(maxHoldMs), cap, Duration.ofSeconds(1));
        // maxHold in whole ms is even in nanos, so half of it is exact and the reference's doubling agrees
        assertThat(limits.judge(waitedNanos, ageNanos, inFlight, events))
                .isEqualTo(reference(maxHoldMs, cap, waitedNanos, ageNanos, inFlight, events));
    }

    @Property(tries = 1000)
    void shouldStayRefusingWhenAnySignalGrows(@ForAll @LongRange(min = 0, max = 1_000_000_000L) long waitedNanos,
                                                @ForAll @LongRange(min = 0, max = 5_000_000_000L) long ageNanos,
                                                @ForAll @LongRange(min = 0, max = 20_000) long inFlight,
                                                @ForAll @IntRange(min = 0, max = 1_000) int events,
                                                @ForAll @LongRange(min = 0, max = 1_000_000_000L) long moreAge,
                                                @ForAll @LongRange(min = 0, max = 10_000) long moreInFlight) {
        AdmissionLimits limits = new AdmissionLimits(Duration.ofMillis(800), 5_000, Duration.ofSeconds(1));
        if (!limits.judge(waitedNanos, ageNanos, inFlight, events).admitted()) {
            assertThat(limits.judge(waitedNanos + moreAge, ageNanos + moreAge, inFlight + moreInFlight, events)
                    .admitted())
                    .as("a queue that is older or fuller never turns a refusal into an admission").isFalse();
        }
    }

    @Property(tries = 500)
    void shouldAdmitAnyBatchWhenNothingIsInFlight(@ForAll @IntRange(min = 1, max = 100) int cap,
                                                  @ForAll @IntRange(min = 0, max = 100_000) int events) {
        AdmissionLimits limits = new AdmissionLimits(Duration.ofMillis(500), cap, Duration.ofSeconds(1));
        assertThat(limits.judge(0, 0, 0, events)).as("an idle gateway serves even a batch above the cap")
                .isEqualTo(AdmissionVerdict.ADMIT);
    }

    @Property(tries = 500)
    void shouldNeverAdmitOncePendingPublishIsHalfOfMaxHoldOld(
            @ForAll @LongRange(min = 2, max = 10_000) long maxHoldMs,
            @ForAll @LongRange(min = 0, max = 10_000_000_000L) long beyond,
            @ForAll @LongRange(min = 0, max = 1_000) long inFlight) {
        AdmissionLimits limits = new AdmissionLimits(Duration.ofMillis(maxHoldMs), 1_000_000, Duration.ofSeconds(1));
        assertThat(limits.judge(0, maxHoldMs * 500_000L + beyond, inFlight, 1))
                .isEqualTo(AdmissionVerdict.REFUSE_HOLD_AGE);
    }
}

package io.streamfleet.gateway.admission;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The state behind the rule: which publish is oldest, how many events are in flight, what a release frees. */
class AdmissionControlTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AdmissionControl control = new AdmissionControl(
            new AdmissionLimits(Duration.ofMillis(800), 100, Duration.ofSeconds(1)), now::get);

    private void advanceMs(long ms) {
        now.addAndGet(ms * 1_000_000L);
    }

    @Test
    void shouldRefuseByAgeOnceTheOldestUnansweredPublishIsHalfOfMaxHoldOld() {
        AdmissionControl.Ticket first = control.tryAdmit(10).ticket();
        advanceMs(100);
        AdmissionControl.Ticket second = control.tryAdmit(10).ticket();
        advanceMs(299);
        assertThat(control.check()).isEqualTo(AdmissionVerdict.ADMIT);
        assertThat(control.oldestAgeMillis()).isEqualTo(399);

        advanceMs(1);
        assertThat(control.tryAdmit(1).verdict()).isEqualTo(AdmissionVerdict.REFUSE_HOLD_AGE);
        assertThat(control.check()).isEqualTo(AdmissionVerdict.REFUSE_HOLD_AGE);

        assertThat(first.release()).as("the hold lasted from admission to release").isEqualTo(400_000_000L);
        assertThat(control.oldestAgeMillis()).as("the second one is now the oldest").isEqualTo(300);
        assertThat(control.tryAdmit(1).verdict()).isEqualTo(AdmissionVerdict.ADMIT);
        second.release();
    }

    @Test
    void shouldRefuseBeforeParsingARequestThatWaitedHalfOfMaxHoldAndSayHowLong() {
        long received = now.get();
        advanceMs(399);
        assertThat(control.check(received)).isEqualTo(AdmissionVerdict.ADMIT);
        advanceMs(1);
        assertThat(control.check(received)).isEqualTo(AdmissionVerdict.REFUSE_REQUEST_AGE);
        assertThat(control.waitedMillis(received)).isEqualTo(400);
        assertThat(control.check(Long.MIN_VALUE)).as("an unknown arrival is not judged by age")
                .isEqualTo(AdmissionVerdict.ADMIT);
        assertThat(control.waitedMillis(Long.MIN_VALUE)).isZero();
        assertThat(control.inFlightEvents()).as("checking admits nothing").isZero();
    }

    @Test
    void shouldRefuseByEventsWhenTheCapWouldBeExceededAndAdmitAgainAfterRelease() {
        AdmissionControl.Ticket sixty = control.tryAdmit(60).ticket();
        AdmissionControl.Admission fifty = control.tryAdmit(50);
        assertThat(fifty.verdict()).isEqualTo(AdmissionVerdict.REFUSE_IN_FLIGHT_EVENTS);
        assertThat(fifty.ticket()).isNull();
        assertThat(control.tryAdmit(40).verdict()).as("exactly up to the cap").isEqualTo(AdmissionVerdict.ADMIT);
        assertThat(control.inFlightEvents()).isEqualTo(100);
        assertThat(control.check()).isEqualTo(AdmissionVerdict.REFUSE_IN_FLIGHT_EVENTS);

        sixty.release();
        assertThat(control.inFlightEvents()).isEqualTo(40);
        assertThat(control.tryAdmit(50).verdict()).isEqualTo(AdmissionVerdict.ADMIT);
    }

    @Test
    void shouldAdmitABatchLargerThanTheCapOnlyWhenNothingIsInFlight() {
        AdmissionControl.Ticket big = control.tryAdmit(500).ticket();
        assertThat(big).isNotNull();
        assertThat(control.tryAdmit(1).verdict()).isEqualTo(AdmissionVerdict.REFUSE_IN_FLIGHT_EVENTS);
        big.release();
        assertThat(control.inFlightEvents()).isZero();
        assertThat(control.oldestAgeMillis()).isZero();
    }

    @Test
    void shouldRefuseARequestThatWaitedHalfOfMaxHoldInsideTheGatewayBeforeReachingAdmission() {
        long received = now.get();
        advanceMs(399);
        assertThat(control.tryAdmit(1, received).verdict()).isEqualTo(AdmissionVerdict.ADMIT);
        advanceMs(1);
        AdmissionControl.Admission late = control.tryAdmit(1, received);
        assertThat(late.verdict()).isEqualTo(AdmissionVerdict.REFUSE_REQUEST_AGE);
        assertThat(late.ticket()).isNull();
        assertThat(control.tryAdmit(1, now.get()).verdict()).as("a fresh request is admitted meanwhile")
                .isEqualTo(AdmissionVerdict.ADMIT);
    }

    @Test
    void shouldFreeATicketOnlyOnceWhenReleasedTwice() {
        AdmissionControl.Ticket ticket = control.tryAdmit(30).ticket();
        control.tryAdmit(30);
        advanceMs(5);
        assertThat(ticket.release()).isEqualTo(5_000_000L);
        assertThat(ticket.release()).isEqualTo(-1);
        assertThat(control.inFlightEvents()).isEqualTo(30);
    }

    @Test
    void shouldNeverExceedTheEventCapUnderConcurrentAdmission() throws Exception {
        AdmissionControl shared = new AdmissionControl(
                new AdmissionLimits(Duration.ofSeconds(60), 1_000, Duration.ofSeconds(1)), System::nanoTime);
        shared.tryAdmit(1); // something in flight throughout, so the cap applies to every call
        AtomicLongArray peak = new AtomicLongArray(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 20_000; i++) {
                    AdmissionControl.Admission admission = shared.tryAdmit(7);
                    long current = shared.inFlightEvents();
                    peak.accumulateAndGet(0, current, Math::max);
                    if (admission.ticket() != null) {
                        admission.ticket().release();
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (var f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(peak.get(0)).isLessThanOrEqualTo(1_000);
        assertThat(shared.inFlightEvents()).as("every admitted event was released").isEqualTo(1);
    }

    @Test
    void shouldRejectNonsenseLimitsNamingTheSetting() {
        assertThatThrownBy(() -> new AdmissionLimits(Duration.ofMillis(1), 10, Duration.ofSeconds(1)))
                .hasMessageContaining("max-hold");
        assertThatThrownBy(() -> new AdmissionLimits(Duration.ofSeconds(1), 0, Duration.ofSeconds(1)))
                .hasMessageContaining("max-in-flight-events");
        assertThatThrownBy(() -> new AdmissionLimits(Duration.ofSeconds(1), 10, Duration.ZERO))
                .hasMessageContaining("overloaded-retry-after");
    }
}

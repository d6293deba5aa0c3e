package io.streamfleet.gateway.warmup;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WarmUpDriverTest {

    private final WarmUpDriver driver = new WarmUpDriver(System::nanoTime);

    @Test
    void shouldSendExactlyTheRequestBudgetWhenTimeIsPlenty() {
        AtomicInteger calls = new AtomicInteger();

        WarmUpResult result = driver.run(new WarmUpBudget(250, Duration.ofSeconds(30), 8),
                i -> Mono.fromSupplier(() -> calls.incrementAndGet() > 0));

        assertThat(calls).hasValue(250);
        assertThat(result.sent()).isEqualTo(250);
        assertThat(result.ok()).isEqualTo(250);
        assertThat(result.stopped()).isEqualTo(WarmUpResult.Stop.REQUESTS);
        assertThat(result.took()).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void shouldGiveEachStepItsOwnNumberFromZero() {
        List<Integer> seen = new CopyOnWriteArrayList<>();

        driver.run(new WarmUpBudget(40, Duration.ofSeconds(30), 4), i -> {
            seen.add(i);
            return Mono.just(true);
        });

        assertThat(seen).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, 40).boxed().toList());
    }

    @Test
    void shouldStopAtTheTimeBudgetAndStartNoStepAfterIt() {
        Duration maxTime = Duration.ofMillis(400);
        List<Long> starts = new CopyOnWriteArrayList<>();
        long begin = System.nanoTime();

        WarmUpResult result = driver.run(new WarmUpBudget(1_000_000, maxTime, 4), i -> {
            starts.add(System.nanoTime());
            return Mono.delay(Duration.ofMillis(20)).thenReturn(true);
        });

        assertThat(result.stopped()).isEqualTo(WarmUpResult.Stop.TIME);
        assertThat(result.sent()).isBetween(4, 1_000_000 - 1).isEqualTo(starts.size());
        // the driver takes its start after begin and at the latest as the first step starts, so no step may start
        // later than maxTime after the first one (measuring from begin raced with a loaded machine)
        assertThat(starts.get(0)).isGreaterThanOrEqualTo(begin);
        assertThat(starts).allSatisfy(t -> assertThat(t - starts.get(0)).isLessThan(maxTime.toNanos()));
        assertThat(result.took()).isGreaterThanOrEqualTo(maxTime).isLessThan(maxTime.plus(WarmUpDriver.GRACE));
    }

    @Test
    void shouldNeverHaveMoreStepsInFlightThanItsConcurrency() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();

        driver.run(new WarmUpBudget(200, Duration.ofSeconds(30), 5), i -> Mono.defer(() -> {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            // the step's work ends before it reports, as a request ends before its answer is counted
            return Mono.delay(Duration.ofMillis(2)).map(tick -> inFlight.decrementAndGet() >= 0);
        }));

        assertThat(most.get()).isEqualTo(5);
    }

    @Test
    void shouldCountFalseErrorsAndEmptyAnswersAsFailedAndGoOn() {
        WarmUpResult result = driver.run(new WarmUpBudget(100, Duration.ofSeconds(30), 3), i -> switch (i % 4) {
            case 0 -> Mono.just(true);
            case 1 -> Mono.just(false);
            case 2 -> Mono.error(new IllegalStateException("connection refused"));
            default -> Mono.empty();
        });

        assertThat(result.sent()).isEqualTo(100);
        assertThat(result.ok()).isEqualTo(25);
        assertThat(result.failed()).isEqualTo(75);
        assertThat(result.stopped()).isEqualTo(WarmUpResult.Stop.REQUESTS);
    }

    @Test
    void shouldReturnWithinTheTimeBudgetAndItsGraceWhenStepsNeverAnswer() {
        Duration maxTime = Duration.ofMillis(300);

        WarmUpResult result = driver.run(new WarmUpBudget(1000, maxTime, 2), i -> Mono.never());

        assertThat(result.sent()).isZero();
        assertThat(result.stopped()).isEqualTo(WarmUpResult.Stop.TIME);
        assertThat(result.took()).isGreaterThanOrEqualTo(maxTime.plus(WarmUpDriver.GRACE))
                .isLessThan(maxTime.plus(WarmUpDriver.GRACE).plusSeconds(2));
    }

    /** A clock that each step moves on by its own cost, so a run's curve is made up exactly and takes no real time. */
    static final class StepClock implements JvmEvidence {
        final AtomicLong nanos = new AtomicLong(1_000_000_000L);
        final AtomicLong compileMillis = new AtomicLong(10_000);
        final AtomicLong cpuNanos = new AtomicLong(Settling.UNKNOWN);

        @Override
        public long compileMillis() {
            return compileMillis.get();
        }

        @Override
        public long threadCpuNanos() {
            return cpuNanos.get();
        }
    }

    static final SettleRule SETTLE = new SettleRule(Duration.ofMillis(100), 3, Duration.ofMillis(500), 10, 10, 3, 10);

    @Test
    void shouldEndOnceSettledWhenTheRateIsFlatAndTheJitQuiet() {
        StepClock clock = new StepClock();

        // 1 ms per step, one at a time: 1 000 steps/s, no compiling
        WarmUpResult result = new WarmUpDriver(clock.nanos::get).run(new WarmUpBudget(100_000, Duration.ofSeconds(60), 1),
                SETTLE, clock, i -> Mono.fromSupplier(() -> clock.nanos.addAndGet(1_000_000) > 0));

        assertThat(result.stopped()).isEqualTo(WarmUpResult.Stop.SETTLED);
        // 6 windows of 100 ms are needed to compare 3 with 3: settled at 600 ms
        assertThat(result.sent()).isBetween(600, 610);
        assertThat(result.took()).isBetween(Duration.ofMillis(600), Duration.ofMillis(610));
        assertThat(result.rate()).isCloseTo(1000, org.assertj.core.api.Assertions.within(5.0));
        assertThat(result.jitBusyPercent()).isZero();
    }

    @Test
    void shouldKeepGoingWhileTheRateRisesAndEndOnceItLevelsOff() {
        StepClock clock = new StepClock();

        // a step costs 4 ms at first, 2 % less with every 5 steps, never less than 1 ms: the rate climbs for ~0.8 s
        WarmUpResult result = new WarmUpDriver(clock.nanos::get).run(new WarmUpBudget(100_000, Duration.ofSeconds(60), 1),
                SETTLE, clock, i -> Mono.fromSupplier(() -> {
                    long cost = Math.max(1_000_000, Math.round(4_000_000 * Math.pow(0.98, i / 5)));
                    return clock.nanos.addAndGet(cost) > 0;
                }));

        assertThat(result.stopped()).isEqualTo(WarmUpResult.Stop.SETTLED);
        long atOneMs = java.util.stream.IntStream.range(0, 100_000)
                .filter(i -> Math.round(4_000_000 * Math.pow(0.98, i / 5)) <= 1_000_000).findFirst().orElseThrow();
        assertThat(result.sent()).isGreaterThan((int) atOneMs);
        assertThat(result.rate()).isCloseTo(1000, org.assertj.core.api.Assertions.within(50.0));
    }

    @Test
    void shouldRunToTheTimeBudgetWhileTheJitStaysBusy() {
        StepClock clock = new StepClock();

        // flat at 1 000 steps/s, but the JIT compiles 0.5 ms of every 1 ms step (50 %)
        WarmUpResult result = new WarmUpDriver(clock.nanos::get).run(new WarmUpBudget(100_000, Duration.ofSeconds(3), 1),
                SETTLE, clock, i -> Mono.fromSupplier(() -> {
                    if (i % 2 == 0) {
                        clock.compileMillis.incrementAndGet();
                    }
                    return clock.nanos.addAndGet(1_000_000) > 0;
                }));

        assertThat(result.stopped()).isEqualTo(WarmUpResult.Stop.TIME);
        assertThat(result.sent()).isBetween(2_990, 3_000);
        assertThat(result.jitBusyPercent()).isCloseTo(50, org.assertj.core.api.Assertions.within(1.0));
    }

    @Test
    void shouldEndSettledWhileTheJitStaysBusyOnceTheCostPerRequestIsFlat() {
        StepClock clock = new StepClock();
        clock.cpuNanos.set(50_000_000);

        // flat at 1 000 steps/s, the JIT busy 50 % (compiling the lukewarm rest), each step 200 µs of thread CPU
        WarmUpResult result = new WarmUpDriver(clock.nanos::get).run(new WarmUpBudget(100_000, Duration.ofSeconds(3), 1),
                SETTLE, clock, i -> Mono.fromSupplier(() -> {
                    if (i % 2 == 0) {
                        clock.compileMillis.incrementAndGet();
                    }
                    clock.cpuNanos.addAndGet(200_000);
                    return clock.nanos.addAndGet(1_000_000) > 0;
                }));

        assertThat(result.stopped()).isEqualTo(WarmUpResult.Stop.SETTLED);
        assertThat(result.sent()).isBetween(600, 610);
        assertThat(result.jitBusyPercent()).isCloseTo(50, org.assertj.core.api.Assertions.within(1.0));
        assertThat(result.cpuMicrosPerRequest()).isCloseTo(200, org.assertj.core.api.Assertions.within(1.0));
    }

    @Test
    void shouldRunToTheBudgetWithoutASettleRule() {
        StepClock clock = new StepClock();

        WarmUpResult result = new WarmUpDriver(clock.nanos::get).run(new WarmUpBudget(2_000, Duration.ofSeconds(60), 2),
                i -> Mono.fromSupplier(() -> clock.nanos.addAndGet(1_000_000) > 0));

        assertThat(result.stopped()).isEqualTo(WarmUpResult.Stop.REQUESTS);
        assertThat(result.sent()).isEqualTo(2_000);
        assertThat(result.rate()).isNaN();
    }

    @Test
    void shouldRefuseABudgetWithoutRequestsTimeOrConcurrency() {
        assertThatThrownBy(() -> new WarmUpBudget(0, Duration.ofSeconds(1), 1)).hasMessageContaining("requests");
        assertThatThrownBy(() -> new WarmUpBudget(1, Duration.ZERO, 1)).hasMessageContaining("max-time");
        assertThatThrownBy(() -> new WarmUpBudget(1, Duration.ofSeconds(-1), 1)).hasMessageContaining("max-time");
        assertThatThrownBy(() -> new WarmUpBudget(1, null, 1)).hasMessageContaining("max-time");
        assertThatThrownBy(() -> new WarmUpBudget(1, Duration.ofSeconds(1), 0)).hasMessageContaining("concurrency");
        assertThatThrownBy(() -> new WarmUpBudget(1, Duration.ofSeconds(1), 257)).hasMessageContaining("concurrency");
    }
}

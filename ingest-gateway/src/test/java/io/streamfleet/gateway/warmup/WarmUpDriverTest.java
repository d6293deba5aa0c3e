package io.streamfleet.gateway.warmup;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

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
        assertThat(starts).allSatisfy(t -> assertThat(t - begin).isLessThan(maxTime.toNanos()));
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

package io.streamfleet.gateway.publishing;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.streamfleet.gateway.intake.EventKind;
import io.streamfleet.gateway.intake.IntakeItem;
import io.streamfleet.gateway.intake.PublishFailure;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ResilientEventSinkTest {

    private static final List<IntakeItem.Valid> TWO = List.of(event(0), event(1));

    private final CircuitBreaker breaker = CircuitBreaker.of("test", CircuitBreakerConfig.custom()
            .slidingWindowSize(4).minimumNumberOfCalls(2).failureRateThreshold(50)
            .waitDurationInOpenState(Duration.ofMillis(200)).permittedNumberOfCallsInHalfOpenState(1).build());
    private final Bulkhead bulkhead = Bulkhead.of("test", BulkheadConfig.custom().maxConcurrentCalls(2)
            .maxWaitDuration(Duration.ZERO).build());

    private static IntakeItem.Valid event(int index) {
        return new IntakeItem.Valid(index, "e-" + index, EventKind.ORDER, "a|S", new byte[0], 0);
    }

    /** A sink answering with a fixed outcome per event and counting its calls. */
    private static final class ScriptedSink implements EventSink {
        final AtomicInteger calls = new AtomicInteger();
        volatile SendOutcome outcome = SendOutcome.acked("orders.raw", 0, 0);

        @Override
        public Mono<List<SendOutcome>> send(List<IntakeItem.Valid> events, String submittedBy, long ingestedAtMs) {
            calls.incrementAndGet();
            return Mono.just(events.stream().map(e -> outcome).toList());
        }
    }

    @Test
    void shouldFailFastWithoutCallingKafkaWhenCircuitIsOpen() {
        ScriptedSink kafka = new ScriptedSink();
        ResilientEventSink sink = new ResilientEventSink(kafka, breaker, bulkhead);
        kafka.outcome = SendOutcome.failed(PublishFailure.TIMEOUT);
        sink.send(TWO, "k", 0).block();
        sink.send(TWO, "k", 0).block();
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);

        List<SendOutcome> outcomes = sink.send(TWO, "k", 0).block(Duration.ofMillis(50));

        assertThat(outcomes).extracting(SendOutcome::failure).containsOnly(PublishFailure.CIRCUIT_OPEN);
        assertThat(kafka.calls).hasValue(2);
        assertThat(bulkhead.getMetrics().getAvailableConcurrentCalls()).isEqualTo(2);
    }

    @Test
    void shouldCloseCircuitWhenKafkaRecovers() throws InterruptedException {
        ScriptedSink kafka = new ScriptedSink();
        ResilientEventSink sink = new ResilientEventSink(kafka, breaker, bulkhead);
        kafka.outcome = SendOutcome.failed(PublishFailure.BROKER_ERROR);
        sink.send(TWO, "k", 0).block();
        sink.send(TWO, "k", 0).block();
        kafka.outcome = SendOutcome.acked("orders.raw", 1, 7);
        Thread.sleep(250);

        List<SendOutcome> outcomes = sink.send(TWO, "k", 0).block();

        assertThat(outcomes).allMatch(SendOutcome::acked);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void shouldAnswerSaturatedWhenTooManyPublishesAreInFlight() {
        Sinks.One<List<SendOutcome>> never = Sinks.one();
        EventSink hanging = (events, by, at) -> never.asMono();
        ResilientEventSink sink = new ResilientEventSink(hanging, breaker, bulkhead);
        Disposable first = sink.send(TWO, "k", 0).subscribe();
        Disposable second = sink.send(TWO, "k", 0).subscribe();

        assertThat(sink.send(TWO, "k", 0).block()).extracting(SendOutcome::failure)
                .containsOnly(PublishFailure.SATURATED);

        first.dispose();
        second.dispose();
        assertThat(bulkhead.getMetrics().getAvailableConcurrentCalls()).isEqualTo(2);
        assertThat(breaker.getMetrics().getNumberOfBufferedCalls()).isZero();
    }
}

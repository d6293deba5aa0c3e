package io.streamfleet.gateway.publishing;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.streamfleet.gateway.intake.IntakeItem;
import io.streamfleet.gateway.intake.PublishFailure;
import reactor.core.publisher.Mono;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Guards an {@link EventSink} with a circuit breaker (fail fast while Kafka is down or slow) and a bulkhead (bound the
 * publishes in flight). Used by hand rather than through operators because one call has an outcome per event: a call
 * counts as failed for the breaker when any of its events was not acknowledged.
 */
public final class ResilientEventSink implements EventSink {

    private final EventSink delegate;
    private final CircuitBreaker circuitBreaker;
    private final Bulkhead bulkhead;

    public ResilientEventSink(EventSink delegate, CircuitBreaker circuitBreaker, Bulkhead bulkhead) {
        this.delegate = delegate;
        this.circuitBreaker = circuitBreaker;
        this.bulkhead = bulkhead;
    }

    @Override
    public Mono<List<SendOutcome>> send(List<IntakeItem.Valid> events, String submittedBy, long ingestedAtMs) {
        if (events.isEmpty()) {
            return Mono.just(List.of());
        }
        return Mono.defer(() -> {
            if (!circuitBreaker.tryAcquirePermission()) {
                return Mono.just(all(events.size(), PublishFailure.CIRCUIT_OPEN));
            }
            if (!bulkhead.tryAcquirePermission()) {
                circuitBreaker.releasePermission();
                return Mono.just(all(events.size(), PublishFailure.SATURATED));
            }
            long started = System.nanoTime();
            AtomicBoolean recorded = new AtomicBoolean();
            return delegate.send(events, submittedBy, ingestedAtMs)
                    .doOnNext(outcomes -> {
                        if (recorded.compareAndSet(false, true)) {
                            record(outcomes, System.nanoTime() - started);
                        }
                    })
                    .doFinally(signal -> {
                        if (recorded.compareAndSet(false, true)) {
                            circuitBreaker.releasePermission();
                        }
                        bulkhead.onComplete();
                    });
        });
    }

    private void record(List<SendOutcome> outcomes, long nanos) {
        PublishFailure failure = outcomes.stream().filter(o -> !o.acked()).map(SendOutcome::failure).findFirst()
                .orElse(null);
        if (failure == null) {
            circuitBreaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
        } else {
            circuitBreaker.onError(nanos, TimeUnit.NANOSECONDS, new PublishFailedException(failure));
        }
    }

    private static List<SendOutcome> all(int size, PublishFailure failure) {
        return Collections.nCopies(size, SendOutcome.failed(failure));
    }

    /** What the circuit breaker records for a call with an unacknowledged event. */
    public static final class PublishFailedException extends RuntimeException {
        public PublishFailedException(PublishFailure failure) {
            super(failure.message(), null, false, false);
        }
    }
}

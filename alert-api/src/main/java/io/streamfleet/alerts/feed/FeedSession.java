package io.streamfleet.alerts.feed;

import io.streamfleet.alerts.alert.AlertFilter;
import io.streamfleet.alerts.alert.FeedAlert;
import io.streamfleet.alerts.feed.position.PartitionKey;
import io.streamfleet.alerts.feed.position.PositionVector;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * One connected feed client's live side: a bounded queue between the hub and the HTTP response. When the client does
 * not keep up and the queue is full, the session ends at once (what is still queued is dropped, not waited for: a
 * stuck client would never drain it); the client reconnects with the id of the last event it got and catches up from
 * Kafka, so nothing is lost. Memory per client is therefore bounded by the queue size. The same early end is used when
 * the service stops: an SSE stream never ends by itself, and the client resumes elsewhere with its last id.
 */
public final class FeedSession {

    private final AlertFilter filter;
    private final PositionVector start;
    private final Sinks.Many<FeedAlert> live;
    private final Sinks.Empty<Void> end = Sinks.empty();
    private volatile boolean closed;
    private volatile boolean overflowed;
    private volatile boolean shutDown;

    public FeedSession(AlertFilter filter, PositionVector start, int bufferLimit) {
        this.filter = filter;
        this.start = start;
        this.live = Sinks.many().unicast().onBackpressureBuffer(new ArrayBlockingQueue<>(bufferLimit));
    }

    /** Called by the hub's thread only. */
    void offer(FeedAlert alert) {
        if (closed || !filter.matches(alert.alert())
                || !start.isUnseen(new PartitionKey(alert.topic(), alert.partition()), alert.offset())) {
            return;
        }
        Sinks.EmitResult result = live.tryEmitNext(alert);
        if (result == Sinks.EmitResult.FAIL_CANCELLED || result == Sinks.EmitResult.FAIL_TERMINATED) {
            closed = true;
        } else if (result.isFailure()) {
            overflowed = true;
            closed = true;
            end.tryEmitEmpty();
        }
    }

    /** The service stops: the stream ends now. Called under the hub's lock, like {@link #offer}. */
    void endForShutdown() {
        shutDown = true;
        closed = true;
        end.tryEmitEmpty();
    }

    Flux<FeedAlert> live() {
        return live.asFlux();
    }

    /** Completes on overflow or shutdown: the stream must end now, without waiting for queued events. */
    Mono<Void> endSignal() {
        return end.asMono();
    }

    boolean overflowed() {
        return overflowed;
    }

    boolean endedByShutdown() {
        return shutDown;
    }

    void close() {
        closed = true;
    }
}

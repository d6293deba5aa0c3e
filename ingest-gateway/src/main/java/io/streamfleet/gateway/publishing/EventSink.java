package io.streamfleet.gateway.publishing;

import io.streamfleet.gateway.intake.IntakeItem;
import reactor.core.publisher.Mono;

import java.util.List;

/** Where valid events go. The returned outcomes align with the events by position; the Mono never errors. */
public interface EventSink {

    /**
     * Reactor context key: an {@link java.util.concurrent.Executor} the caller wants the outcomes delivered on (the
     * request's Netty event loop), saving a hop through a shared scheduler. Without it a sink answers on a scheduler
     * of its own choosing, never on the producer's I/O thread.
     */
    String COMPLETE_ON = "streamfleet.gateway.complete-on";

    /**
     * Reactor context key: when the request reached the gateway ({@link System#nanoTime()}, a {@code Long}), so the
     * admission rule can refuse one that already waited too long inside the gateway.
     */
    String RECEIVED_NANOS = "streamfleet.gateway.received-nanos";

    /**
     * Reactor context key: the {@link PublishLane} a publish should take when the sink has more than one producer;
     * batches when absent.
     */
    String LANE = "streamfleet.gateway.lane";

    /**
     * Publishes events and completes once every one of them is acknowledged or failed.
     *
     * @param submittedBy   id of the API key that submitted them
     * @param ingestedAtMs  the gateway's ingestion time, written as a header
     */
    Mono<List<SendOutcome>> send(List<IntakeItem.Valid> events, String submittedBy, long ingestedAtMs);
}

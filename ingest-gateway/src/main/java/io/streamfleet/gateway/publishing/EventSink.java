package io.streamfleet.gateway.publishing;

import io.streamfleet.gateway.intake.IntakeItem;
import reactor.core.publisher.Mono;

import java.util.List;

/** Where valid events go. The returned outcomes align with the events by position; the Mono never errors. */
public interface EventSink {

    /**
     * Publishes events and completes once every one of them is acknowledged or failed.
     *
     * @param submittedBy   id of the API key that submitted them
     * @param ingestedAtMs  the gateway's ingestion time, written as a header
     */
    Mono<List<SendOutcome>> send(List<IntakeItem.Valid> events, String submittedBy, long ingestedAtMs);
}

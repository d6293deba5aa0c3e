package io.streamfleet.gateway.publishing;

import io.streamfleet.gateway.intake.IntakeItem;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * Hands a publish to the sink of its {@link PublishLane}, read from the {@link EventSink#LANE} context key (batches
 * when absent). Which publishes take which lane is decided where the request is known ({@link IngestService}).
 */
public final class LaneRouter implements EventSink {

    private final EventSink batches;
    private final EventSink singleEvents;

    public LaneRouter(EventSink batches, EventSink singleEvents) {
        this.batches = batches;
        this.singleEvents = singleEvents;
    }

    @Override
    public Mono<List<SendOutcome>> send(List<IntakeItem.Valid> events, String submittedBy, long ingestedAtMs) {
        return Mono.deferContextual(context -> {
            EventSink lane = context.getOrDefault(LANE, PublishLane.BATCHES) == PublishLane.SINGLE_EVENTS
                    ? singleEvents : batches;
            return lane.send(events, submittedBy, ingestedAtMs);
        });
    }
}

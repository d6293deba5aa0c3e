package io.streamfleet.gateway.publishing;

import io.streamfleet.gateway.intake.EventKind;
import io.streamfleet.gateway.intake.IntakeItem;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sink of the dry-run routes: sends nothing and answers every valid event at once as it would be addressed,
 * its topic with partition and offset -1 (no position exists: nothing was written).
 */
public final class DryRunSink implements EventSink {

    private final Map<EventKind, String> topics;

    public DryRunSink(Map<EventKind, String> topics) {
        this.topics = Map.copyOf(topics);
    }

    @Override
    public Mono<List<SendOutcome>> send(List<IntakeItem.Valid> events, String submittedBy, long ingestedAtMs) {
        List<SendOutcome> outcomes = new ArrayList<>(events.size());
        for (IntakeItem.Valid event : events) {
            outcomes.add(SendOutcome.acked(topics.get(event.kind()), -1, -1));
        }
        return Mono.just(outcomes);
    }
}

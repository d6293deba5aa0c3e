package io.streamfleet.gateway.publishing;

import io.streamfleet.gateway.intake.IntakeItem;
import io.streamfleet.gateway.intake.PublishFailure;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** A sink for web tests: records what it was given and acknowledges it, or fails everything when told to. */
public final class RecordingSink implements EventSink {

    public final List<IntakeItem.Valid> received = new CopyOnWriteArrayList<>();
    public final List<String> submitters = new CopyOnWriteArrayList<>();
    /** The lane each send asked for ({@link EventSink#LANE}), in order. */
    public final List<PublishLane> lanes = new CopyOnWriteArrayList<>();
    private final AtomicLong offset = new AtomicLong();
    private volatile PublishFailure failWith;

    public void failWith(PublishFailure failure) {
        this.failWith = failure;
    }

    @Override
    public Mono<List<SendOutcome>> send(List<IntakeItem.Valid> events, String submittedBy, long ingestedAtMs) {
        return Mono.deferContextual(context -> {
            lanes.add(context.getOrDefault(LANE, PublishLane.BATCHES));
            return record(events, submittedBy);
        });
    }

    private Mono<List<SendOutcome>> record(List<IntakeItem.Valid> events, String submittedBy) {
        PublishFailure failure = failWith;
        if (failure != null) {
            return Mono.just(events.stream().map(e -> SendOutcome.failed(failure)).toList());
        }
        received.addAll(events);
        events.forEach(e -> submitters.add(submittedBy));
        return Mono.just(events.stream()
                .map(e -> SendOutcome.acked(e.kind().wireName() + ".raw", 0, offset.getAndIncrement())).toList());
    }
}

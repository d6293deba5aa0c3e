package io.streamfleet.gateway.publishing;

import io.streamfleet.gateway.admission.AdmissionControl;
import io.streamfleet.gateway.intake.IntakeItem;
import io.streamfleet.gateway.intake.PublishFailure;
import reactor.core.publisher.Mono;

import java.util.Collections;
import java.util.List;

/**
 * Applies the admission rule in front of an {@link EventSink}: a publish the rule refuses is answered at once with
 * every event {@link PublishFailure#OVERLOADED} and nothing of it is handed on, so a refused event is never in Kafka.
 * An admitted publish holds its ticket until its outcomes arrive (or it is cancelled); the hold is timed.
 */
public final class AdmittingEventSink implements EventSink {

    private final EventSink delegate;
    private final AdmissionControl admission;
    private final GatewayMetrics metrics;

    public AdmittingEventSink(EventSink delegate, AdmissionControl admission, GatewayMetrics metrics) {
        this.delegate = delegate;
        this.admission = admission;
        this.metrics = metrics;
    }

    @Override
    public Mono<List<SendOutcome>> send(List<IntakeItem.Valid> events, String submittedBy, long ingestedAtMs) {
        if (events.isEmpty()) {
            return Mono.just(List.of());
        }
        return Mono.deferContextual(context -> {
            AdmissionControl.Admission admitted = admission.tryAdmit(events.size(),
                    context.getOrDefault(RECEIVED_NANOS, Long.MIN_VALUE));
            if (!admitted.verdict().admitted()) {
                metrics.admissionRefused(admitted.verdict());
                return Mono.just(Collections.nCopies(events.size(), SendOutcome.failed(PublishFailure.OVERLOADED)));
            }
            AdmissionControl.Ticket ticket = admitted.ticket();
            return delegate.send(events, submittedBy, ingestedAtMs)
                    .doOnNext(outcomes -> {
                        long held = ticket.release();
                        if (held >= 0) {
                            metrics.hold(outcomes.stream().allMatch(SendOutcome::acked), held);
                        }
                    })
                    .doFinally(signal -> ticket.release());
        });
    }
}

package io.streamfleet.gateway.publishing;

import io.streamfleet.gateway.admission.AdmissionControl;
import io.streamfleet.gateway.admission.AdmissionVerdict;
import io.streamfleet.gateway.intake.BatchVerdict;
import io.streamfleet.gateway.intake.BodyFormat;
import io.streamfleet.gateway.intake.EventIntake;
import io.streamfleet.gateway.intake.EventKind;
import io.streamfleet.gateway.intake.IntakeItem;
import io.streamfleet.gateway.intake.IntakeOutcome;
import io.streamfleet.gateway.intake.PublishFailure;
import io.streamfleet.gateway.intake.ItemResult;
import io.streamfleet.gateway.intake.Refusal;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One request from body to answer: intake, publish the valid events, merge the outcomes into per-index results, count
 * everything. Shared by the HTTP and WebSocket channels.
 */
public final class IngestService {

    private final EventIntake intake;
    private final EventSink sink;
    private final GatewayMetrics metrics;
    private final RetryAfterPolicy retryAfter;
    private final Clock clock;
    private final AdmissionControl admission;

    /** Without an admission rule of its own: a request is never refused unread (the sink may still refuse it). */
    public IngestService(EventIntake intake, EventSink sink, GatewayMetrics metrics, RetryAfterPolicy retryAfter,
                         Clock clock) {
        this(intake, sink, metrics, retryAfter, clock, null);
    }

    /**
     * @param admission the rule the sink applies too; read here to refuse an HTTP request before its body is parsed
     *                  while the gateway is overloaded (parsing costs CPU the overloaded gateway lacks). Null: none
     */
    public IngestService(EventIntake intake, EventSink sink, GatewayMetrics metrics, RetryAfterPolicy retryAfter,
                         Clock clock, AdmissionControl admission) {
        this.intake = intake;
        this.sink = sink;
        this.metrics = metrics;
        this.retryAfter = retryAfter;
        this.clock = clock;
        this.admission = admission;
    }

    public EventIntake intake() {
        return intake;
    }

    public RetryAfterPolicy retryAfterPolicy() {
        return retryAfter;
    }

    /**
     * The same path (admission, intake, results, answer) over another sink and meters: the dry-run routes use it with
     * a {@link DryRunSink}, so a dry run shares every step with a real request but the publish.
     */
    public IngestService over(EventSink otherSink, GatewayMetrics otherMetrics) {
        return new IngestService(intake, otherSink, otherMetrics, retryAfter, clock, admission);
    }

    /** Reads, validates and publishes one body; completes after Kafka answered for every valid event. */
    public Mono<IngestReport> ingest(byte[] body, BodyFormat format, EventKind fixedKind, String submittedBy,
                                     String channel) {
        return ingest(body, format, fixedKind, submittedBy, channel, Long.MIN_VALUE);
    }

    /**
     * @param receivedNanos when the request reached the gateway ({@link System#nanoTime()}), for the admission rule;
     *                      {@code Long.MIN_VALUE} when unknown
     */
    public Mono<IngestReport> ingest(byte[] body, BodyFormat format, EventKind fixedKind, String submittedBy,
                                     String channel, long receivedNanos) {
        // WebSocket messages are parsed even when overloaded: their acks name each event (the sink refuses them)
        if (admission != null && GatewayMetrics.HTTP.equals(channel)) {
            AdmissionVerdict verdict = admission.check(receivedNanos);
            if (!verdict.admitted()) {
                metrics.admissionRefused(verdict);
                metrics.refused(Refusal.OVERLOADED.reasonTag(), channel);
                return Mono.just(IngestReport.refused(Refusal.OVERLOADED, overloadedDetail(verdict, receivedNanos),
                        retryAfter.after(PublishFailure.OVERLOADED)));
            }
        }
        long now = clock.millis();
        IntakeOutcome outcome = intake.read(body, format, fixedKind, now);
        if (outcome instanceof IntakeOutcome.Refused refused) {
            metrics.refused(refused.refusal().reasonTag(), channel);
            return Mono.just(IngestReport.refused(refused.refusal(), refused.detail()));
        }
        IntakeOutcome.Batch batch = (IntakeOutcome.Batch) outcome;
        metrics.batchSize(batch.items().size(), channel);
        List<IntakeItem.Valid> valid = batch.valid();
        Mono<List<SendOutcome>> sent = sink.send(valid, submittedBy, now);
        Context context = Context.empty();
        if (receivedNanos != Long.MIN_VALUE) {
            context = context.put(EventSink.RECEIVED_NANOS, receivedNanos);
        }
        if (laneFor(valid.size(), channel) == PublishLane.SINGLE_EVENTS) {
            context = context.put(EventSink.LANE, PublishLane.SINGLE_EVENTS);
        }
        if (!context.isEmpty()) {
            sent = sent.contextWrite(context);
        }
        return sent.map(outcomes -> report(batch.items(), outcomes, channel));
    }

    /**
     * Which producer a publish of {@code validEvents} events over {@code channel} takes. An HTTP request's lone event
     * takes the one that does not linger: its sender waits for the answer, and there is nothing to batch it with.
     * Never a WebSocket message: a socket's messages share one producer, which keeps them in Kafka in the order
     * they arrived.
     */
    public static PublishLane laneFor(int validEvents, String channel) {
        return validEvents == 1 && GatewayMetrics.HTTP.equals(channel) ? PublishLane.SINGLE_EVENTS
                : PublishLane.BATCHES;
    }

    private IngestReport report(List<IntakeItem> items, List<SendOutcome> outcomes, String channel) {
        List<ItemResult> results = new ArrayList<>(items.size());
        Duration wait = null;
        int next = 0;
        int[] accepted = new int[EventKind.values().length];
        for (IntakeItem item : items) {
            ItemResult result;
            if (item instanceof IntakeItem.Valid v) {
                SendOutcome sent = outcomes.get(next++);
                if (sent.acked()) {
                    result = ItemResult.accepted(v, sent.topic(), sent.partition(), sent.offset());
                    accepted[v.kind().ordinal()]++; // counted once per kind below, not one meter look-up per event
                } else {
                    result = ItemResult.unavailable(v, sent.failure());
                    wait = longer(wait, retryAfter.after(sent.failure()));
                    metrics.result(result, channel);
                }
            } else {
                result = ItemResult.rejected((IntakeItem.Invalid) item);
                metrics.result(result, channel);
            }
            results.add(result);
        }
        for (EventKind kind : EventKind.values()) {
            if (accepted[kind.ordinal()] > 0) {
                metrics.accepted(kind, channel, accepted[kind.ordinal()]);
            }
        }
        return new IngestReport(null, null, results, BatchVerdict.of(results), wait);
    }

    private String overloadedDetail(AdmissionVerdict verdict, long receivedNanos) {
        long maxHold = admission.limits().maxHold().toMillis();
        String why = switch (verdict) {
            case REFUSE_REQUEST_AGE -> "this request waited about " + admission.waitedMillis(receivedNanos)
                    + " ms in the gateway before it could be parsed (its event loop was behind), and requests are "
                    + "refused from half of max-hold (" + maxHold + " ms)";
            case REFUSE_HOLD_AGE -> "the oldest publish in flight has waited " + admission.oldestAgeMillis()
                    + " ms for Kafka, and new ones are refused from half of max-hold (" + maxHold + " ms)";
            default -> admission.inFlightEvents() + " events are in flight, the limit is "
                    + admission.limits().maxInFlightEvents();
        };
        return "the gateway is overloaded: " + why + ". Nothing of this request was sent to Kafka; send it again "
                + "after Retry-After";
    }

    private static Duration longer(Duration a, Duration b) {
        return a == null || b.compareTo(a) > 0 ? b : a;
    }

}

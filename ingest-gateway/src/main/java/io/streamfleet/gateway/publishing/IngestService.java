package io.streamfleet.gateway.publishing;

import io.streamfleet.gateway.intake.BatchVerdict;
import io.streamfleet.gateway.intake.BodyFormat;
import io.streamfleet.gateway.intake.EventIntake;
import io.streamfleet.gateway.intake.EventKind;
import io.streamfleet.gateway.intake.IntakeItem;
import io.streamfleet.gateway.intake.IntakeOutcome;
import io.streamfleet.gateway.intake.ItemResult;
import reactor.core.publisher.Mono;

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

    public IngestService(EventIntake intake, EventSink sink, GatewayMetrics metrics, RetryAfterPolicy retryAfter,
                         Clock clock) {
        this.intake = intake;
        this.sink = sink;
        this.metrics = metrics;
        this.retryAfter = retryAfter;
        this.clock = clock;
    }

    public EventIntake intake() {
        return intake;
    }

    public RetryAfterPolicy retryAfterPolicy() {
        return retryAfter;
    }

    /** Reads, validates and publishes one body; completes after Kafka answered for every valid event. */
    public Mono<IngestReport> ingest(byte[] body, BodyFormat format, EventKind fixedKind, String submittedBy,
                                     String channel) {
        long now = clock.millis();
        IntakeOutcome outcome = intake.read(body, format, fixedKind, now);
        if (outcome instanceof IntakeOutcome.Refused refused) {
            metrics.refused(refused.refusal().reasonTag(), channel);
            return Mono.just(IngestReport.refused(refused.refusal(), refused.detail()));
        }
        IntakeOutcome.Batch batch = (IntakeOutcome.Batch) outcome;
        metrics.batchSize(batch.items().size(), channel);
        List<IntakeItem.Valid> valid = batch.valid();
        return sink.send(valid, submittedBy, now).map(outcomes -> report(batch.items(), outcomes, channel));
    }

    private IngestReport report(List<IntakeItem> items, List<SendOutcome> outcomes, String channel) {
        List<ItemResult> results = new ArrayList<>(items.size());
        Duration wait = null;
        int next = 0;
        for (IntakeItem item : items) {
            ItemResult result;
            if (item instanceof IntakeItem.Valid v) {
                SendOutcome sent = outcomes.get(next++);
                if (sent.acked()) {
                    result = ItemResult.accepted(v, sent.topic(), sent.partition(), sent.offset());
                } else {
                    result = ItemResult.unavailable(v, sent.failure());
                    wait = longer(wait, retryAfter.after(sent.failure()));
                }
            } else {
                result = ItemResult.rejected((IntakeItem.Invalid) item);
            }
            metrics.result(result, channel);
            results.add(result);
        }
        return new IngestReport(null, null, results, BatchVerdict.of(results), wait);
    }

    private static Duration longer(Duration a, Duration b) {
        return a == null || b.compareTo(a) > 0 ? b : a;
    }

}

package io.streamfleet.gateway.http;

import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.gateway.intake.EventKind;
import io.streamfleet.gateway.publishing.DryRunSink;
import io.streamfleet.gateway.publishing.GatewayMetrics;
import io.streamfleet.gateway.publishing.IngestService;
import io.streamfleet.gateway.security.RequestGuard;

import java.util.Map;

/**
 * What the dry-run routes ({@code POST /v1/events/dry-run}, {@code /v1/orders/dry-run},
 * {@code /v1/engagement/dry-run}) run a request through: the ingest path over a {@link DryRunSink}, its own guard
 * (the configured keys, plus the self-warm-up's key when one runs) and its own meters, so a dry run is never counted
 * as an accepted event.
 */
public record DryRun(IngestService service, RequestGuard guard, GatewayMetrics metrics) {

    /** Dry runs with the real requests' guard and meters, addressed to the contract topics (web slices). */
    static DryRun sharing(IngestService service, RequestGuard guard, GatewayMetrics metrics) {
        DryRunSink sink = new DryRunSink(Map.of(EventKind.ORDER, Topics.ORDERS_RAW.name(),
                EventKind.ENGAGEMENT, Topics.ENGAGEMENT_RAW.name()));
        return new DryRun(service.over(sink, metrics), guard, metrics);
    }
}

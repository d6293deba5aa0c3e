package io.streamfleet.bench.report;

import io.streamfleet.bench.cpu.FleetCpu;

import io.streamfleet.bench.late.LateAudit;
import io.streamfleet.bench.oracle.EngagementCheck;
import io.streamfleet.bench.oracle.OracleCheck;
import io.streamfleet.bench.lag.LagSample;

import java.util.List;
import java.util.Map;

/**
 * Everything one benchmark run measured; written as a table, JSON and HTML by {@link ReportWriter}. {@code burstOracle}
 * compares the burst alerts with what the run's accepted on-time orders imply, {@code engagementOracle} the
 * engagement-drop alerts with what its accepted on-time engagement events imply.
 */
public record BenchReport(Map<String, Object> run, Ingest ingest, List<Timeline.Point> timeline,
                          List<SpectrumPoint> latencySpectrum, List<Detection> detection,
                          List<LabelOutcome> labels, int foreignAlerts, List<LagSummary> lag,
                          List<LagSample> lagSamples, LateAudit late, DriverBacklog driverBacklog,
                          OracleCheck burstOracle,
                          EngagementCheck engagementOracle,
                          List<FleetCpu.PartCpu> cpu,
                          List<TargetCheck> targets, List<String> notes) {

    /**
     * Ingest figures.
     *
     * @param activeSeconds    first send to last acknowledgement
     * @param eventsPerSecond  accepted events / active seconds
     * @param outcomes         every answer by outcome, resends included
     * @param latency          request latency (open loop: from the intended send time to the last answer, waits
     *                         for Retry-After included)
     * @param retries          what the gateway asked to have sent again, and what became of it
     */
    public record Ingest(String driver, String mode, long eventsSent, long eventsAccepted, long requests,
                         Map<String, Long> outcomes, double activeSeconds, double eventsPerSecond,
                         double requestsPerSecond, Percentiles latency, Resends retries) {
    }

    /**
     * What the gateway asked to have sent again after a delay, and what became of it (docs: README, fleet-bench).
     *
     * @param refusals        answers that asked for events again (503/429 with Retry-After, a 207's unavailable
     *                        items, WebSocket acks with retryAfterMs)
     * @param refusedEvents   events those answers covered, by reason; an event refused twice counts twice
     * @param resentEvents    events sent again after the delay
     * @param acceptedOnRetry events accepted on a resend
     * @param givenUp         events refused on their last allowed attempt: not accepted
     */
    public record Resends(long refusals, Map<String, Long> refusedEvents, long resentEvents, long acceptedOnRetry,
                          long givenUp) {
    }

    /**
     * The driver's own backlog: when its requests reached the wire against the schedule (first attempts; a resend
     * waits for the gateway's delay on purpose), and how many events it sent beyond their lateness bound. When these
     * are large the driver, not the fleet, made events late (docs: README, fleet-bench).
     *
     * @param events                 events whose first attempt reached the wire
     * @param notOnWire              events whose first attempt never did (failed waiting for a connection)
     * @param behindSchedule         wire time − scheduled send time per event, ms
     * @param ordersBehindBound      orders that reached the wire more than the orders lateness behind schedule
     * @param engagementBehindBound  engagement events more than the engagement lateness (in wall time) behind it
     * @param orderBoundMs           the orders lateness (wall ms)
     * @param engagementBoundWallMs  the engagement lateness in wall ms (its event-time bound / the clock's speed)
     * @param ordersLateByClient     orders whose counting send was beyond their bound after their event time though
     *                               their scheduled send was not (made late by the driver's delay), diverted or not
     * @param engagementLateByClient engagement events likewise, on the run's engagement clock
     */
    public record DriverBacklog(long events, long notOnWire, Percentiles behindSchedule, long ordersBehindBound,
                                long engagementBehindBound, long orderBoundMs, double engagementBoundWallMs,
                                long ordersLateByClient, long engagementLateByClient) {

        /** Events that reached the wire more than their lateness bound behind the schedule. */
        public long behindBound() {
            return ordersBehindBound + engagementBehindBound;
        }

        /** Events (not late on purpose) the driver sent beyond their lateness bound after their event time. */
        public long lateByClient() {
            return ordersLateByClient + engagementLateByClient;
        }
    }

    /** One point of the latency distribution: the latency at a percentile. */
    public record SpectrumPoint(double percentile, double latencyMs) {
    }

    /** Lag of one consumer group over the run. */
    public record LagSummary(String group, long maxLag, long lastLag, int samples) {
    }

    /** One target (docs/PERFORMANCE.md#targets) against what this run measured. */
    public record TargetCheck(String target, String measured, String verdict) {

        public static final String MET = "MET";
        public static final String NOT_MET = "NOT MET";
        public static final String NOT_MEASURED = "not measured by this run";
    }
}

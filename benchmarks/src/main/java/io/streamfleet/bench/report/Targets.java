package io.streamfleet.bench.report;

import io.streamfleet.bench.report.BenchReport.LagSummary;
import io.streamfleet.bench.report.BenchReport.TargetCheck;

import io.streamfleet.bench.late.LateAudit;
import io.streamfleet.bench.oracle.OracleCheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Compares a run with the targets (docs/PERFORMANCE.md#targets); a target the run's settings cannot show is marked not
 * measured.
 */
public final class Targets {

    /** Lag (records per group) that counts as drained at the end of the run. */
    public static final long DRAINED_LAG = 1_000;
    /** Seconds of traffic at the requested rate a group may fall behind during the run and still count as bounded. */
    public static final double BOUNDED_LAG_SECONDS = 2.0;

    private Targets() {
    }

    /** Without the late audit and the driver's backlog: the late-event targets are not measured. */
    public static List<TargetCheck> check(BenchReport.Ingest ingest, int requestedRate, List<Detection> detection,
                                          List<LagSummary> lag, long latenessMs, long cancelWindowMs,
                                          OracleCheck burstOracle) {
        return check(ingest, requestedRate, detection, lag, latenessMs, cancelWindowMs, burstOracle, null, null);
    }

    /**
     * @param late    the late-topic audit, or null when not read
     * @param backlog the driver's backlog against its schedule, or null when not recorded
     */
    public static List<TargetCheck> check(BenchReport.Ingest ingest, int requestedRate, List<Detection> detection,
                                          List<LagSummary> lag, long latenessMs, long cancelWindowMs,
                                          OracleCheck burstOracle, LateAudit late,
                                          BenchReport.DriverBacklog backlog) {
        List<TargetCheck> checks = new ArrayList<>();
        // an open-loop run sends at the requested rate, so only a closed-loop batch run shows the maximum
        boolean batch = ingest.driver().equals("http-batch") && ingest.mode().equals("closed");
        checks.add(new TargetCheck("ingest >= 60 000 events/s sustained through HTTP batches",
                String.format(Locale.ROOT, "%,.0f events/s (%s, %s)", ingest.eventsPerSecond(), ingest.driver(),
                        ingest.mode()),
                !batch ? TargetCheck.NOT_MEASURED : verdict(ingest.eventsPerSecond() >= 60_000)));
        boolean singleAt5k = ingest.driver().equals("http-single") && ingest.mode().equals("open")
                && requestedRate >= 5_000;
        checks.add(new TargetCheck("single-event POST p50 <= 3 ms, p99 <= 15 ms at 5 000 req/s",
                String.format(Locale.ROOT, "p50 %.2f ms, p99 %.2f ms at %,.0f req/s (%s, %s)", ingest.latency().p50Ms(),
                        ingest.latency().p99Ms(), ingest.requestsPerSecond(), ingest.driver(), ingest.mode()),
                !singleAt5k ? TargetCheck.NOT_MEASURED
                        : verdict(ingest.latency().p50Ms() <= 3 && ingest.latency().p99Ms() <= 15
                        && ingest.requestsPerSecond() >= 4_900)));
        long maxFinal = lag.stream().mapToLong(LagSummary::lastLag).max().orElse(-1);
        long maxLag = lag.stream().mapToLong(LagSummary::maxLag).max().orElse(-1);
        double lagSeconds = requestedRate <= 0 ? Double.NaN : (double) maxLag / requestedRate;
        checks.add(new TargetCheck("pipeline sustains >= 20 000 events/s end to end, consumer lag bounded (never more "
                + "than " + BOUNDED_LAG_SECONDS + " s of traffic) and drained at the end",
                String.format(Locale.ROOT, "%,.0f events/s in; lag max %s records (%.1f s of traffic at the requested "
                                + "rate), at end %s (drained = under %,d)", ingest.eventsPerSecond(), count(maxLag),
                        lagSeconds, count(maxFinal), DRAINED_LAG),
                lag.isEmpty() || maxFinal < 0 ? TargetCheck.NOT_MEASURED
                        : verdict(ingest.eventsPerSecond() >= 20_000 && maxFinal < DRAINED_LAG
                        && lagSeconds <= BOUNDED_LAG_SECONDS)));
        Detection orders = detection.stream().filter(d -> d.type().equals("BURST_CREATE_MASS_CANCEL")).findFirst()
                .orElseThrow();
        long p50Target = latenessMs + cancelWindowMs + 100;
        long p99Target = latenessMs + cancelWindowMs + 300;
        checks.add(new TargetCheck("burst alert on SSE within lateness + T2 + 100 ms (p50) = " + p50Target
                + " ms, + 300 ms (p99) = " + p99Target + " ms",
                orders.latency().count() == 0 ? "no episode latency measured"
                        : String.format(Locale.ROOT, "p50 %.0f ms, p99 %.0f ms over %d episodes",
                        orders.latency().p50Ms(), orders.latency().p99Ms(), orders.latency().count()),
                orders.latency().count() == 0 || !ingest.mode().equals("open") ? TargetCheck.NOT_MEASURED
                        : verdict(orders.latency().p50Ms() <= p50Target && orders.latency().p99Ms() <= p99Target)));
        Detection all = detection.stream().filter(d -> d.type().equals("ALL")).findFirst().orElseThrow();
        checks.add(new TargetCheck("every injected episode found, no near-miss flagged, no duplicate alert",
                String.format(Locale.ROOT, "found %d/%d, near-misses flagged %d/%d, other false alerts %d, "
                                + "duplicate deliveries %d, id mismatches %d, field mismatches %d", all.found(),
                        all.expected(), all.nearMissesFlagged(), all.nearMisses(), all.otherFalseAlerts(),
                        all.duplicateDeliveries(), all.idMismatches(), all.fieldMismatches()),
                all.expected() == 0 ? TargetCheck.NOT_MEASURED : verdict(all.found() == all.expected()
                        && all.falsePositives() == 0 && all.duplicateDeliveries() == 0)));
        checks.add(new TargetCheck("every burst alert explained by the accepted on-time orders, none missing",
                String.format(Locale.ROOT, "%d alerts: %d explained, %d field mismatches, %d unexplained; %d of %d "
                                + "implied detections missing%s", burstOracle.alerts(), burstOracle.explained(),
                        burstOracle.fieldMismatches(), burstOracle.unexplained(), burstOracle.missing(),
                        burstOracle.expected(), burstOracle.problem().isEmpty() ? "" : "; input incomplete: "
                                + burstOracle.problem()),
                burstOracle.orders() == 0 ? TargetCheck.NOT_MEASURED : verdict(burstOracle.exact())));
        checks.add(onTimeNotDiverted(late));
        checks.add(overload(ingest, late, backlog));
        checks.add(new TargetCheck("CEP engine throughput >= Flink CEP on the same events",
                "needs Flink CEP on this machine; fleet-bench measures the whole fleet", TargetCheck.NOT_MEASURED));
        return checks;
    }

    /** The target's name for the on-time check (docs: README, fleet-bench). */
    static final String ON_TIME = "no on-time event diverted as late by the fleet (sent within its lateness bound, "
            + "yet in a late topic)";
    /** The target's name for the overload check (docs/PERFORMANCE.md#targets). */
    static final String OVERLOAD = "overload degrades honestly: the gateway refuses rather than holds; no stage diverts"
            + " on-time events because of its own backlog";

    /**
     * Only events the driver put on the wire within their lateness bound count against the fleet; those it sent
     * beyond it are shown apart (late by the client, {@code ClientLateness}).
     */
    private static TargetCheck onTimeNotDiverted(LateAudit late) {
        if (late == null) {
            return new TargetCheck(ON_TIME, "late topics not read", TargetCheck.NOT_MEASURED);
        }
        String measured = lateFigures(late) + String.format(Locale.ROOT, "; intended late %,d, found in no late topic "
                + "%,d, extra copies %,d%s", late.intended(), late.missing(), late.extraCopies(),
                late.problem().isEmpty() ? "" : "; late topics not fully read: " + late.problem());
        String verdict = late.onTimeDiverted() > 0 ? TargetCheck.NOT_MET
                : late.problem().isEmpty() ? TargetCheck.MET : TargetCheck.NOT_MEASURED;
        return new TargetCheck(ON_TIME, measured, verdict);
    }

    /**
     * Measured when the gateway refused with a delay (the run overloaded it): judged by the on-time events the fleet
     * diverted, with the driver's own backlog beside it, so a reader sees when the driver made the events late.
     */
    private static TargetCheck overload(BenchReport.Ingest ingest, LateAudit late, BenchReport.DriverBacklog backlog) {
        BenchReport.Resends r = ingest.retries();
        if (late == null) {
            return new TargetCheck(OVERLOAD, "late topics not read", TargetCheck.NOT_MEASURED);
        }
        String measured = String.format(Locale.ROOT, "%,d refusals with a delay (%,d events given up, %,d accepted on a "
                + "resend); %s; %s", r.refusals(), r.givenUp(), r.acceptedOnRetry(), lateFigures(late),
                backlog(backlog));
        if (r.refusals() == 0) {
            return new TargetCheck(OVERLOAD, "the gateway refused nothing: not an overload run; " + measured,
                    TargetCheck.NOT_MEASURED);
        }
        // the gateway may hold an event up to its max-hold under this rule: only events that left the driver with
        // more slack than that and were still diverted show a queue beyond the rule
        String verdict = late.divertedWithSlack() > 0 ? TargetCheck.NOT_MET
                : late.problem().isEmpty() ? TargetCheck.MET : TargetCheck.NOT_MEASURED;
        return new TargetCheck(OVERLOAD, measured + String.format(Locale.ROOT, "; of the on-time events diverted, "
                + "%,d left the driver with less slack than the gateway's hold (judged apart here), %,d with more",
                late.shortOfSlack(), late.divertedWithSlack()), verdict);
    }

    private static String lateFigures(LateAudit late) {
        return String.format(Locale.ROOT, "%,d on-time events diverted by the fleet, %,d late by the client (sent "
                + "beyond their lateness bound, not counted against the fleet)", late.onTimeDiverted(),
                late.lateByClient());
    }

    /** The driver's backlog in one phrase; says so when the driver sent events beyond their bound. */
    public static String backlog(BenchReport.DriverBacklog b) {
        if (b == null || b.events() == 0) {
            return "driver backlog not recorded";
        }
        Percentiles p = b.behindSchedule();
        String text = String.format(Locale.ROOT, "driver's requests on the wire p50 %s, p99 %s, max %s behind "
                        + "schedule; %,d orders and %,d engagement events more than their lateness bound (%,d ms, "
                        + "%.0f ms of wall time) behind it", seconds(p.p50Ms()), seconds(p.p99Ms()),
                seconds(p.maxMs()), b.ordersBehindBound(), b.engagementBehindBound(), b.orderBoundMs(),
                b.engagementBoundWallMs());
        if (b.lateByClient() > 0) {
            text += String.format(Locale.ROOT, "; %,d orders and %,d engagement events left the driver beyond their "
                            + "bound after their event time: the driver's own queue, not a stage, made them late",
                    b.ordersLateByClient(), b.engagementLateByClient());
        }
        return text;
    }

    private static String seconds(double ms) {
        return ms >= 1_000 ? String.format(Locale.ROOT, "%.1f s", ms / 1_000) : String.format(Locale.ROOT, "%.1f ms",
                ms);
    }

    private static String count(long value) {
        return value < 0 ? "n/a" : String.format(Locale.ROOT, "%,d", value);
    }

    private static String verdict(boolean met) {
        return met ? TargetCheck.MET : TargetCheck.NOT_MET;
    }
}

package io.streamfleet.bench.report;

import io.streamfleet.bench.late.LateAudit;
import io.streamfleet.bench.oracle.OracleCheck;
import io.streamfleet.bench.report.BenchReport.LagSummary;
import io.streamfleet.bench.report.BenchReport.TargetCheck;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TargetsTest {

    private static final Percentiles NONE = new Percentiles(0, 0, 0, 0, 0, 0, 0, 0);
    private static final OracleCheck EXACT = new OracleCheck(1_000, 3, 3, 3, 0, 0, 0, List.of(), "");

    private static BenchReport.Ingest ingestAt(double eventsPerSecond) {
        return new BenchReport.Ingest("http-batch", "open", 1, 1, 1, Map.of(), 60, eventsPerSecond, 200, NONE,
                new BenchReport.Resends(0, Map.of(), 0, 0, 0));
    }

    private static List<Detection> detections() {
        return List.of(new Detection("BURST_CREATE_MASS_CANCEL", 3, 3, List.of(), 3, 0, 0, 1.0, 1.0, 0, 0, 0, NONE,
                        0, 0, 0),
                new Detection("ALL", 3, 3, List.of(), 3, 0, 0, 1.0, 1.0, 0, 0, 0, NONE, 0, 0, 0));
    }

    private static TargetCheck check(String startsWith, List<LagSummary> lag, OracleCheck oracle) {
        return Targets.check(ingestAt(20_100), 20_000, detections(), lag, 3_000, 1_000, oracle).stream()
                .filter(t -> t.target().startsWith(startsWith)).findFirst().orElseThrow();
    }

    /** 1 600 events in orders.late, none intended: {@code fleet} of them were sent within their bound. */
    private static LateAudit late(int fleet) {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 1_600; i++) {
            ids.add("r-" + i);
        }
        Map<String, List<String>> topics = new LinkedHashMap<>();
        topics.put("orders.late", ids);
        return LateAudit.of(Set.of(), topics, id -> Integer.parseInt(id.substring(2)) >= fleet, "");
    }

    /** A driver 37 s behind its schedule at the median, as in the fifth round's overload runs. */
    private static final BenchReport.DriverBacklog BEHIND = new BenchReport.DriverBacklog(900_000, 0,
            new Percentiles(900_000, 36_000, 37_000, 42_000, 43_000, 44_900, 45_000, 45_100), 700_000, 180_000, 3_000,
            500.0, 690_000, 179_000);

    private static BenchReport.Ingest overloadedIngest(long refusals) {
        return new BenchReport.Ingest("http-batch", "open", 1, 1, 1, Map.of(), 60, 9_500, 95, NONE,
                new BenchReport.Resends(refusals, Map.of("overloaded", refusals * 100), 0, 0, refusals * 100));
    }

    private static TargetCheck lateCheck(String startsWith, BenchReport.Ingest ingest, LateAudit late) {
        return Targets.check(ingest, 24_000, detections(), List.of(), 3_000, 1_000, EXACT, late, BEHIND).stream()
                .filter(t -> t.target().startsWith(startsWith)).findFirst().orElseThrow();
    }

    @Test
    void shouldCountOnlyOnTimeEventsTheFleetDivertedAgainstItAndShowTheDriversBacklogInTheOverloadVerdict() {
        TargetCheck clientOnly = lateCheck("overload", overloadedIngest(3_234), late(0));
        TargetCheck fleetToo = lateCheck("overload", overloadedIngest(3_234), late(1));

        assertThat(clientOnly.verdict()).as("every diverted event left the driver beyond its bound")
                .isEqualTo(TargetCheck.MET);
        assertThat(clientOnly.measured()).contains("3,234 refusals", "0 on-time events diverted by the fleet",
                "1,600 late by the client", "p50 37.0 s, p99 44.9 s, max 45.1 s behind schedule",
                "700,000 orders and 180,000 engagement events more than their lateness bound",
                "the driver's own queue, not a stage, made them late");
        assertThat(fleetToo.verdict()).as("one event sent in time and diverted is the fleet's fault")
                .isEqualTo(TargetCheck.NOT_MET);
        assertThat(fleetToo.measured()).contains("1 on-time events diverted by the fleet", "1,599 late by the client");
    }

    @Test
    void shouldJudgeOverloadByTheOnTimeDiversionsThatHadMoreSlackThanTheGatewaysHoldButTheOnTimeTargetByAll() {
        Map<String, List<String>> topics = Map.of("orders.late", List.of("r-1", "r-2"));
        LateAudit allShort = LateAudit.of(Set.of(), topics, id -> false, id -> true, "");
        LateAudit oneWithSlack = LateAudit.of(Set.of(), topics, id -> false, "r-1"::equals, "");

        TargetCheck overload = lateCheck("overload", overloadedIngest(3_234), allShort);
        assertThat(overload.verdict()).as("held within the gateway's rule").isEqualTo(TargetCheck.MET);
        assertThat(overload.measured()).contains("2 on-time events diverted by the fleet",
                "2 left the driver with less slack than the gateway's hold (judged apart here), 0 with more");
        assertThat(lateCheck("no on-time event", overloadedIngest(3_234), allShort).verdict())
                .as("the on-time target counts every one").isEqualTo(TargetCheck.NOT_MET);
        assertThat(lateCheck("overload", overloadedIngest(3_234), oneWithSlack).verdict())
                .isEqualTo(TargetCheck.NOT_MET);
    }

    @Test
    void shouldJudgeOnTimeDiversionsInEveryRunButOverloadOnlyWhenTheGatewayRefused() {
        assertThat(lateCheck("no on-time event", overloadedIngest(0), late(0)).verdict()).isEqualTo(TargetCheck.MET);
        assertThat(lateCheck("no on-time event", overloadedIngest(0), late(3)).verdict())
                .isEqualTo(TargetCheck.NOT_MET);
        TargetCheck calm = lateCheck("overload", overloadedIngest(0), late(3));
        assertThat(calm.verdict()).isEqualTo(TargetCheck.NOT_MEASURED);
        assertThat(calm.measured()).startsWith("the gateway refused nothing");
        LateAudit unread = LateAudit.of(Set.of(), Map.of("orders.late", List.of()), "orders.late: timeout");
        assertThat(lateCheck("no on-time event", overloadedIngest(0), unread).verdict())
                .isEqualTo(TargetCheck.NOT_MEASURED);
        assertThat(check("no on-time event", List.of(), EXACT).verdict()).as("no audit: not measured")
                .isEqualTo(TargetCheck.NOT_MEASURED);
    }

    @Test
    void shouldNotCountThePipelineAsBoundedWhenTheLagPeakedAboveTwoSecondsOfTrafficThoughItDrained() {
        TargetCheck peaked = check("pipeline", List.of(new LagSummary("g", 40_001, 0, 10)), EXACT);
        TargetCheck bounded = check("pipeline", List.of(new LagSummary("g", 40_000, 0, 10)), EXACT);

        assertThat(peaked.verdict()).isEqualTo(TargetCheck.NOT_MET);
        assertThat(peaked.measured()).contains("2.0 s of traffic");
        assertThat(bounded.verdict()).isEqualTo(TargetCheck.MET);
    }

    @Test
    void shouldJudgeAlertsByTheOracleAndLeaveItUnmeasuredWithoutOrders() {
        List<LagSummary> lag = List.of(new LagSummary("g", 0, 0, 1));

        assertThat(check("every burst alert explained", lag, EXACT).verdict()).isEqualTo(TargetCheck.MET);
        assertThat(check("every burst alert explained", lag,
                new OracleCheck(1_000, 3, 4, 3, 0, 1, 0, List.of(), "")).verdict()).isEqualTo(TargetCheck.NOT_MET);
        assertThat(check("every burst alert explained", lag,
                new OracleCheck(0, 0, 0, 0, 0, 0, 0, List.of(), "")).verdict()).isEqualTo(TargetCheck.NOT_MEASURED);
    }
}

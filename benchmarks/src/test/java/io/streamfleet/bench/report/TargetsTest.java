package io.streamfleet.bench.report;

import io.streamfleet.bench.oracle.OracleCheck;
import io.streamfleet.bench.report.BenchReport.LagSummary;
import io.streamfleet.bench.report.BenchReport.TargetCheck;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

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

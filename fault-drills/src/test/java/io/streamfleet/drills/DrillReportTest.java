package io.streamfleet.drills;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DrillReportTest {

    private static DrillResult result(String drill, int divertedOnTime, List<String> notes, List<String> problems) {
        return new DrillResult(drill, "2000 ev/s", List.of("+10.0 s SIGSTOP stream-processor for 20 s"),
                new DrillResult.EventAudit(1000, 990, 10, 150, 0, 0, 2, 3, divertedOnTime),
                new DrillResult.AlertAudit(12, 12, 0, 0, 0, 1),
                new DrillResult.SseAudit(12, 12, 0, 0, 1),
                List.of(), List.of(new DrillResult.Recovery("SIGSTOP stream-processor 20 s", -1, 4_200)),
                Map.of("200", 50L), notes, problems);
    }

    @Test
    void shouldPutEveryDrillInOneTableWithTheFailingCountsAndNoClassOfExcusedMisses() {
        String md = DrillReport.markdown("Plan `full`", List.of(result("stall", 0, List.of(), List.of())));

        assertThat(md).contains("| Drill | Verdict | Acked events | Lost | Duplicated | Re-sent acked orders |"
                + " On-time events diverted late | Late as sent |")
                .contains("| stall | pass | 990 of 1000 | 0 | 0 | 150 | 0 | 3 | 12 / 12 | 0 | 0 | 1 | 0 / 0 (1) |")
                .contains("| SIGSTOP stream-processor 20 s | – | 4.2 s |")
                .contains("* Verdict: all checks held")
                .doesNotContain("KI-1").doesNotContain("Known issue");
    }

    @Test
    void shouldMarkADrillFailedAndListEachProblemWhenAnyCheckFailed() {
        DrillResult failed = result("broker-restart", 2, List.of("the broker restart: 1 episodes had events posted"),
                List.of("2 events acknowledged on time were diverted to a late topic, e.g. [...]"));

        String md = DrillReport.markdown("Plan `full`", List.of(failed));

        assertThat(failed.passed()).isFalse();
        assertThat(md).contains("| broker-restart | FAIL |")
                .contains("* the broker restart: 1 episodes had events posted")
                .contains("* Verdict: FAILED\n  * 2 events acknowledged on time were diverted to a late topic");
    }
}

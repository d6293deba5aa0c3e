package io.streamfleet.bench.report;

import io.streamfleet.bench.late.LateAudit;
import io.streamfleet.bench.oracle.EngagementCheck;
import io.streamfleet.bench.oracle.OracleCheck;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The late-event split and the driver's backlog as the text, HTML and JSON reports show them. */
class ReportWriterLateTest {

    private static final Percentiles NONE = new Percentiles(0, 0, 0, 0, 0, 0, 0, 0);

    private static BenchReport report() {
        Map<String, List<String>> topics = new LinkedHashMap<>();
        topics.put("orders.late", List.of("i-1", "c-1", "c-2", "f-1", "s-1"));
        topics.put("engagement.late", List.of("c-3"));
        // f-1 left the driver with its slack, s-1 with less than the gateway's hold
        LateAudit late = LateAudit.of(Set.of("i-1"), topics, id -> id.startsWith("c-"), id -> id.startsWith("s-"), "");
        BenchReport.DriverBacklog backlog = new BenchReport.DriverBacklog(1_000, 0,
                new Percentiles(1_000, 30_000, 37_000, 40_000, 41_000, 44_000, 45_000, 45_500), 800, 190, 3_000,
                500.0, 795, 189);
        BenchReport.Ingest ingest = new BenchReport.Ingest("http-batch", "open", 1_000, 900, 10, Map.of("202", 9L),
                60, 15, 0.2, NONE, new BenchReport.Resends(1, Map.of("overloaded", 100L), 0, 0, 100));
        List<Detection> detection = List.of(new Detection("BURST_CREATE_MASS_CANCEL", 0, 0, List.of(), 0, 0, 0, null,
                null, 0, 0, 0, NONE, 0, 0, 0), new Detection("ALL", 0, 0, List.of(), 0, 0, 0, null, null, 0, 0, 0, NONE,
                0, 0, 0));
        OracleCheck oracle = new OracleCheck(0, 0, 0, 0, 0, 0, 0, List.of(), "");
        return new BenchReport(Map.of("runId", "r1"), ingest, List.of(), List.of(), detection, List.of(), 0,
                List.of(), List.of(), late, backlog, oracle,
                new EngagementCheck(0, 0, 0, 0, 0, 0, 0, 0, List.of(), ""), List.of(),
                Targets.check(ingest, 24_000, detection, List.of(), 3_000, 1_000, oracle, late, backlog), List.of());
    }

    @Test
    void shouldShowBothKindsOfUnexpectedLateEventsAndTheDriversBacklogInTheText() {
        String text = ReportWriter.table(report());

        assertThat(text).contains("on-time events diverted by the fleet: 2, of which 1 left the driver with less "
                + "slack than the gateway's hold; late by the client: 3)");
        assertThat(text).contains("orders.late", "5 records: 1 as intended, 2 on-time events diverted by the fleet "
                + "(e.g. f-1, s-1) (1 short of slack), 2 late by the client (sent beyond their lateness bound)");
        assertThat(text).contains("driver: on the wire behind schedule (ms)  p50 37000.0  p99 44000.0  max 45500.0");
        assertThat(text).contains("800 orders (> 3,000 ms), 190 engagement events (> 500 ms)");
        assertThat(text).contains("late by the client): 795 orders, 189 engagement events - the driver, not the "
                + "fleet, made these late");
        assertThat(text).contains("[NOT MET                 ] overload degrades honestly")
                .contains("of the on-time events diverted, 1 left the driver with less slack than the gateway's hold"
                        + " (judged apart here), 1 with more");
    }

    @Test
    void shouldCarryTheSplitIntoTheHtmlAndTheJson() {
        BenchReport r = report();
        String html = ReportWriter.html(r);
        String json = ReportWriter.json(r);

        assertThat(html).contains("<th>on-time events diverted by the fleet</th><th>of them short of slack</th>"
                        + "<th>late by the client</th>")
                .contains("<td>orders.late</td><td>5</td><td>1</td><td>2</td><td>1</td><td>2</td>")
                .contains("driver: on the wire behind schedule");
        assertThat(json).contains("\"lateByClient\" : 2", "\"onTimeDiverted\" : 2", "\"shortOfSlack\" : 1",
                "\"driverBacklog\"",
                "\"ordersBehindBound\" : 800");
    }
}

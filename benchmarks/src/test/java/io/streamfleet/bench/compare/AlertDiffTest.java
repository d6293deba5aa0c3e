package io.streamfleet.bench.compare;

import io.streamfleet.bench.replay.LogHeader;
import io.streamfleet.bench.replay.LogRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AlertDiffTest {

    private long offset;

    private LogRecord alert(String id, String key, long detectedAt, int canceled, String ratio) {
        String json = "{\"alertId\":\"" + id + "\",\"type\":\"BURST_CREATE_MASS_CANCEL\",\"accountId\":\"a\","
                + "\"created\":10,\"canceled\":" + canceled + ",\"cancelRatio\":" + ratio + ",\"detectedAtMs\":"
                + detectedAt + "}";
        return new LogRecord("alerts.anomaly", 0, offset++, detectedAt, "CreateTime",
                key.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8), List.of());
    }

    private LogRecord alert(String id) {
        return alert(id, "a|X", 1_000, 8, "0.8");
    }

    @Test
    void shouldSortAlertsIntoOnlyInAOnlyInBAndInBothWhenComparedById() {
        List<LogRecord> a = List.of(alert("x1"), alert("x2"), alert("x3"));
        List<LogRecord> b = List.of(alert("x3"), alert("x4"), alert("x1"));
        AlertComparison c = AlertDiff.compare(a, b);
        assertThat(c.onlyInA()).extracting(AlertCopy::alertId).containsExactly("x2");
        assertThat(c.onlyInB()).extracting(AlertCopy::alertId).containsExactly("x4");
        assertThat(c.identical()).isEqualTo(2);
        assertThat(c.differing()).isEmpty();
        assertThat(c.same()).isFalse();
        assertThat(c.a().perTopic()).containsEntry("alerts.anomaly", 3);
    }

    @Test
    void shouldNameEveryDifferingFieldWhenAnAlertIsInBothSets() {
        List<LogRecord> a = List.of(alert("x1", "a|X", 1_000, 8, "0.8"));
        List<LogRecord> b = List.of(alert("x1", "a|Y", 2_000, 9, "0.80"));
        AlertComparison c = AlertDiff.compare(a, b);
        assertThat(c.differing()).hasSize(1);
        assertThat(c.differing().get(0).fields()).extracting(AlertComparison.FieldDifference::field)
                .containsExactly("(key)", "(timestamp)", "canceled", "detectedAtMs");
        AlertComparison.FieldDifference canceled = c.differing().get(0).fields().get(2);
        assertThat(canceled.a().asInt()).isEqualTo(8);
        assertThat(canceled.b().asInt()).isEqualTo(9);
        String text = ComparisonReport.text(c, "a.ndjson.gz", "kafka:localhost:9092", 20);
        assertThat(text).contains("only in A: 0   only in B: 0   in both: 1 (identical 0, differing 1)")
                .contains("x1 (alerts.anomaly)").contains("canceled: A=8  B=9").contains("The alert sets differ.");
    }

    @Test
    void shouldReportAFieldThatOnlyOneSideHasWhenTheShapesDiffer() {
        LogRecord plain = alert("x1");
        String extra = new String(plain.value(), StandardCharsets.UTF_8).replace("}", ",\"note\":\"n\"}");
        LogRecord withNote = new LogRecord(plain.topic(), 0, 9, plain.timestampMs(), "CreateTime", plain.key(),
                extra.getBytes(StandardCharsets.UTF_8), List.of());
        AlertComparison c = AlertDiff.compare(List.of(plain), List.of(withNote));
        AlertComparison.FieldDifference note = c.differing().get(0).fields().get(0);
        assertThat(note.field()).isEqualTo("note");
        assertThat(note.a().isMissingNode()).isTrue();
        assertThat(ComparisonReport.text(c, "A", "B", 5)).contains("note: A=(absent)  B=\"n\"");
        assertThat(ComparisonReport.json(c, "A", "B").replaceAll("\\s", ""))
                .contains("{\"field\":\"note\",\"a\":null,\"b\":\"n\"}");
    }

    @Test
    void shouldCallTheSetsIdenticalOnlyWhenIdsAndFieldsMatchAndNothingIsDuplicated() {
        AlertComparison same = AlertDiff.compare(List.of(alert("x1"), alert("x2")), List.of(alert("x2"), alert("x1")));
        assertThat(same.same()).isTrue();
        assertThat(ComparisonReport.text(same, "A", "B", 5)).endsWith("The alert sets are identical.\n");
        assertThat(ComparisonReport.json(same, "A", "B").replaceAll("\\s", "")).contains("\"identical\":true");

        AlertComparison dup = AlertDiff.compare(List.of(alert("x1"), alert("x1")), List.of(alert("x1")));
        assertThat(dup.identical()).isEqualTo(1);
        assertThat(dup.a().extraCopies()).containsEntry("x1", 1);
        assertThat(dup.a().inconsistent()).isEmpty();
        assertThat(dup.same()).isFalse();
        assertThat(ComparisonReport.text(dup, "A", "B", 5)).contains("A has 1 duplicate copy of 1 alert(s), e.g. x1");

        AlertComparison disagree = AlertDiff.compare(List.of(alert("x1"), alert("x1", "a|X", 1_000, 9, "0.9")),
                List.of());
        assertThat(disagree.a().inconsistent()).containsExactly("x1");
    }

    @Test
    void shouldSetAsideRecordsThatAreNotAlertsAndIgnoreProgressRecords() {
        List<LogRecord> a = new ArrayList<>(List.of(alert("x1")));
        a.add(new LogRecord("alerts.anomaly", 0, 50, 1, "CreateTime", null, "garbage".getBytes(StandardCharsets.UTF_8),
                List.of()));
        a.add(new LogRecord("alerts.anomaly", 0, 51, 1, "CreateTime", null, null,
                List.of(LogHeader.text("sf-progress", "gw"))));
        AlertComparison c = AlertDiff.compare(a, List.of(alert("x1")));
        assertThat(c.a().unreadable()).containsExactly("alerts.anomaly-0@50");
        assertThat(c.identical()).isEqualTo(1);
        assertThat(c.same()).isFalse();
        assertThat(ComparisonReport.text(c, "A", "B", 5)).contains("A has 1 record(s) that are not alerts, e.g. "
                + "alerts.anomaly-0@50");
    }

    @Test
    void shouldListAtMostTheRequestedNumberOfAlertsWhenASectionIsLong() {
        List<LogRecord> a = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            a.add(alert("x" + i));
        }
        String text = ComparisonReport.text(AlertDiff.compare(a, List.of()), "A", "B", 3);
        assertThat(text).contains("only in A: 30").contains("... and 27 more")
                .contains("x0  BURST_CREATE_MASS_CANCEL  key a|X  detected 1970-01-01T00:00:01Z  (alerts.anomaly)");
    }
}

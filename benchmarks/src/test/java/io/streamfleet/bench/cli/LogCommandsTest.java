package io.streamfleet.bench.cli;

import io.streamfleet.bench.replay.LogRecord;
import io.streamfleet.bench.replay.PartitionSpools;
import io.streamfleet.bench.replay.RecordingTally;
import io.streamfleet.bench.replay.RecordingWriter;
import io.streamfleet.bench.replay.TimeMerge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The record / replay / compare-alerts commands without a broker: argument and file errors, and file comparison. */
class LogCommandsTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    private int run(String... args) {
        return FleetBench.run(List.of(args), new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    private String console() {
        return console.toString(StandardCharsets.UTF_8);
    }

    private static LogRecord alert(String topic, long offset, String id, int canceled) {
        String json = "{\"alertId\":\"" + id + "\",\"type\":\"BURST_CREATE_MASS_CANCEL\",\"canceled\":" + canceled
                + ",\"detectedAtMs\":" + (1000 + offset) + "}";
        return new LogRecord(topic, 0, offset, 1000 + offset, "CreateTime", "a|X".getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8), List.of());
    }

    private Path alertFile(String name, List<LogRecord> anomaly) throws Exception {
        Path file = dir.resolve(name);
        RecordingTally tally = new RecordingTally();
        try (PartitionSpools spools = new PartitionSpools(file)) {
            for (String topic : List.of("alerts.anomaly", "alerts.engagement")) {
                tally.plan(topic, 1, Map.of(0, new long[] {0, 100}));
                spools.declare(topic, 0);
            }
            for (LogRecord r : anomaly) {
                tally.add(r);
                spools.add(r);
            }
            RecordingWriter.write(file, tally.header(1L, "test"),
                    new TimeMerge<>(spools.finish(), LogRecord::timestampMs), n -> { });
        }
        return file;
    }

    @Test
    void shouldExitWithTwoAndSayWhatIsMissingWhenRecordHasNoOutputFile() {
        assertThat(run("record", "--bootstrap", "localhost:1")).isEqualTo(2);
        assertThat(console()).contains("fleet-bench record: record needs --out FILE");
    }

    @Test
    void shouldRefuseToOverwriteARecordingWhenForceIsNotGiven() throws Exception {
        Path existing = Files.writeString(dir.resolve("day.ndjson.gz"), "x");
        assertThat(run("record", "--out", existing.toString())).isEqualTo(2);
        assertThat(console()).contains("exists: pass --force to overwrite it");
    }

    @Test
    void shouldExitWithTwoWhenABoundOrOptionIsMalformed() {
        assertThat(run("record", "--out", dir.resolve("a.gz").toString(), "--from-offset", "x")).isEqualTo(2);
        assertThat(run("record", "--out", dir.resolve("a.gz").toString(), "--from-offset", "1", "--from-time",
                "2026-12-03T10:00:00Z")).isEqualTo(2);
        assertThat(run("replay", "--file", dir.resolve("a.gz").toString(), "--speed", "fast")).isEqualTo(2);
        assertThat(run("replay", "--rate", "3")).isEqualTo(2);
        assertThat(run("compare-alerts", "--a", "x.gz")).isEqualTo(2);
        assertThat(console()).contains("--from-offset takes OFFSET").contains("not both")
                .contains("--speed must be 'max' or a positive factor").contains("unknown option --rate for replay")
                .contains("compare-alerts needs --b");
    }

    @Test
    void shouldExitWithTwoAndNameTheFileWhenTheRecordingIsMissingOrNotOne() throws Exception {
        assertThat(run("replay", "--file", dir.resolve("none.ndjson.gz").toString())).isEqualTo(2);
        assertThat(console()).contains("no such file: " + dir.resolve("none.ndjson.gz"));
        Path text = Files.writeString(dir.resolve("text.ndjson"), "{}\n");
        assertThat(run("replay", "--file", text.toString())).isEqualTo(2);
        assertThat(console()).contains("is not a fleet-bench recording (not gzip");
    }

    @Test
    void shouldRefuseATopicTheRecordingDoesNotHoldWhenReplayingASubset() throws Exception {
        Path a = alertFile("a.ndjson.gz", List.of(alert("alerts.anomaly", 0, "x1", 8)));
        assertThat(run("replay", "--file", a.toString(), "--topics", "orders.raw")).isEqualTo(2);
        assertThat(console()).contains("the recording holds no topic orders.raw; it holds alerts.anomaly, "
                + "alerts.engagement");
    }

    @Test
    void shouldExitWithZeroWhenTwoAlertFilesAreIdenticalAndThreeWhenTheyDiffer() throws Exception {
        List<LogRecord> base = new ArrayList<>(List.of(alert("alerts.anomaly", 0, "x1", 8),
                alert("alerts.anomaly", 1, "x2", 8)));
        Path a = alertFile("a.ndjson.gz", base);
        Path same = alertFile("same.ndjson.gz", base);
        Path other = alertFile("b.ndjson.gz", List.of(alert("alerts.anomaly", 0, "x1", 9),
                alert("alerts.anomaly", 1, "x3", 8)));

        assertThat(run("compare-alerts", "--a", a.toString(), "--b", same.toString())).isZero();
        assertThat(console()).contains("The alert sets are identical.");

        Path json = dir.resolve("cmp.json");
        assertThat(run("compare-alerts", "--a", a.toString(), "--b", other.toString(), "--json", json.toString()))
                .isEqualTo(3);
        assertThat(console()).contains("only in A: 1   only in B: 1   in both: 1 (identical 0, differing 1)")
                .contains("canceled: A=8  B=9").contains("x2  BURST_CREATE_MASS_CANCEL").contains("x3  BURST");
        assertThat(json).content().contains("\"alertId\"").contains("x3");
    }

    @Test
    void shouldSayWhichTopicsAFileHoldsWhenItHasNoAlertTopics() throws Exception {
        Path a = alertFile("a.ndjson.gz", List.of());
        assertThat(run("compare-alerts", "--a", a.toString(), "--b", a.toString(), "--topics", "alerts.other"))
                .isEqualTo(2);
        assertThat(console()).contains("holds no topic alerts.other (it holds alerts.anomaly, alerts.engagement)");
        assertThat(run("compare-alerts", "--a", dir.resolve("missing.gz").toString(), "--b", a.toString()))
                .isEqualTo(2);
        assertThat(console()).contains("no such file").contains("kafka:HOST:PORT");
    }

    @Test
    void shouldListTheNewCommandsWhenAskedForHelp() {
        assertThat(run("help")).isZero();
        assertThat(console()).contains("record ").contains("replay ").contains("compare-alerts ")
                .contains("--speed max|FACTOR").contains("exit codes:");
    }
}

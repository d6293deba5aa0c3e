package io.streamfleet.bench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every error path of the command line that needs no fleet: stderr and a non-zero exit; stdout only for output. */
class FleetBenchCliTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errors = new ByteArrayOutputStream();

    private int run(String... args) {
        return FleetBench.run(List.of(args), new PrintStream(output, true, StandardCharsets.UTF_8),
                new PrintStream(errors, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return output.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return errors.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldPrintUsageOnStdoutWhenAskedForHelp() {
        assertThat(run("help")).isZero();
        assertThat(stdout()).contains("usage:").contains("--engagement-origin");
        assertThat(stderr()).isEmpty();
    }

    @Test
    void shouldExitTwoWithUsageOnStderrWhenCommandIsMissingOrUnknown() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("bench", "x")).isEqualTo(2);
        assertThat(stderr()).contains("usage:").contains("fleet-bench: unknown command 'bench'");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void shouldExitTwoOnStderrWhenAnOptionOfRunOrGenerateIsWrong() {
        assertThat(run("run", "--rat", "5")).isEqualTo(2);
        assertThat(run("generate", "--duration", "soon")).isEqualTo(2);
        assertThat(run("generate", "--rate")).isEqualTo(2);
        assertThat(run("run", "--engagement-origin", "yesterday")).isEqualTo(2);
        assertThat(run("run", "--retries", "-1")).isEqualTo(2);
        assertThat(run("ingest", "--retries", "many")).isEqualTo(2);
        assertThat(run("run", "--gateway-hold", "-1s")).isEqualTo(2);
        assertThat(stderr()).contains("unknown option --rat").contains("--duration must be a duration")
                .contains("option --rate needs a value").contains("--engagement-origin must be epoch milliseconds")
                .contains("--retries must be 0 (never resend) or more, was -1")
                .contains("--retries must be a whole number, was 'many'")
                .contains("--gateway-hold must be 0 or more, was -1s");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void shouldExitTwoOnStderrBeforeSendingWhenRunHasNoApiKey() {
        assertThat(run("run", "--api-key-file", dir.resolve("none").toString(), "--duration", "10s")).isEqualTo(2);
        assertThat(stderr()).contains("no API key");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void shouldExitNonZeroOnStderrWhenRecordReplayOrCompareIsRefused() {
        assertThat(run("record", "--bootstrap", "localhost:1")).isEqualTo(2);
        assertThat(run("compare-alerts", "--a", dir.resolve("a.gz").toString(), "--b", dir.resolve("b.gz").toString()))
                .isEqualTo(2);
        assertThat(run("replay", "--file", dir.resolve("missing.ndjson.gz").toString())).isNotZero();
        assertThat(stderr()).contains("fleet-bench record: record needs --out FILE")
                .contains("fleet-bench compare-alerts: no such file").contains("fleet-bench replay");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void shouldWriteOnlyToStdoutWhenGenerateSucceeds() {
        assertThat(run("generate", "--rate", "50", "--duration", "10s", "--episodes", "1", "--near-misses", "1",
                "--engagement-episodes", "1", "--engagement-near-misses", "1", "--out", dir.toString())).isZero();
        assertThat(stdout()).contains("Wrote");
        assertThat(stderr()).isEmpty();
    }
}

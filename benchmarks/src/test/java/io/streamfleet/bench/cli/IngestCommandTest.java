package io.streamfleet.bench.cli;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** fleet-bench ingest on loopback against a trivial endpoint, bounded to a few seconds. */
class IngestCommandTest {

    @Test
    void shouldScoreOnlyTheTimeAfterTheWarmUpWhenRunAgainstAnEndpoint() throws Exception {
        try (TrivialIngestServer server = new TrivialIngestServer(0)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int exit = FleetBench.run(List.of("ingest", "--gateway", "http://127.0.0.1:" + server.port(),
                    "--api-key", "k", "--concurrency", "4", "--warm-up", "1s", "--duration", "1s"),
                    new PrintStream(bytes, true, StandardCharsets.UTF_8));
            String out = bytes.toString(StandardCharsets.UTF_8);

            assertThat(exit).as(out).isZero();
            assertThat(out).contains("warm-up: fixed", "scored: ", "outcomes  {202=").doesNotContain("not accepted");
        }
    }

    @Test
    void shouldRunOpenLoopBatchesAtTheGivenRateWhenAsked() throws Exception {
        try (TrivialIngestServer server = new TrivialIngestServer(0)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int exit = FleetBench.run(List.of("ingest", "--gateway", "http://127.0.0.1:" + server.port(),
                    "--api-key", "k", "--driver", "http-batch", "--batch-size", "10", "--mode", "open", "--rate",
                    "200", "--warm-up", "0", "--duration", "1s"), new PrintStream(bytes, true, StandardCharsets.UTF_8));
            String out = bytes.toString(StandardCharsets.UTF_8);

            assertThat(exit).as(out).isZero();
            assertThat(out).contains("warm-up: none").containsPattern("requests  (1\\d\\d|20\\d) ");
        }
    }

    @Test
    void shouldHoldTheOfferedRateOnMillisecondTicksWhenAskedForWrksSchedule() throws Exception {
        try (TrivialIngestServer server = new TrivialIngestServer(0)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int exit = FleetBench.run(List.of("ingest", "--gateway", "http://127.0.0.1:" + server.port(),
                    "--api-key", "k", "--mode", "open", "--rate", "2000", "--schedule", "ms-ticks", "--concurrency",
                    "4", "--warm-up", "0", "--duration", "1s"), new PrintStream(bytes, true, StandardCharsets.UTF_8));
            String out = bytes.toString(StandardCharsets.UTF_8);

            assertThat(exit).as(out).isZero();
            assertThat(out).contains("schedule ms-ticks").doesNotContain("not accepted");
            // two requests on each of the 1 000 ticks of the scored second (the last tick may fall just outside)
            assertThat(out).containsPattern("requests  (1,99\\d|2,00\\d) ");
        }
    }

    @Test
    void shouldRefuseMillisecondTicksOutsideTheOpenLoop() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertThat(FleetBench.run(List.of("ingest", "--gateway", "http://127.0.0.1:9", "--api-key", "k",
                "--schedule", "ms-ticks"), out)).isEqualTo(2);
        assertThat(FleetBench.run(List.of("ingest", "--gateway", "http://127.0.0.1:9", "--api-key", "k",
                "--mode", "open", "--schedule", "bursts"), out)).isEqualTo(2);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("needs --mode open", "--schedule must be");
    }

    @Test
    void shouldKeepWarmingUpUntilTheMinimumWhenEarlierWindowsAlreadyAgree() throws Exception {
        try (TrivialIngestServer server = new TrivialIngestServer(0)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int exit = FleetBench.run(List.of("ingest", "--gateway", "http://127.0.0.1:" + server.port(),
                    "--api-key", "k", "--mode", "open", "--rate", "100", "--min-warm-up", "12s", "--max-warm-up", "40s",
                    "--duration", "1s"), new PrintStream(bytes, true, StandardCharsets.UTF_8));
            String out = bytes.toString(StandardCharsets.UTF_8);

            assertThat(exit).as(out).isZero();
            Matcher warmUp = Pattern.compile("warm-up: ([0-9.]+) s").matcher(out);
            assertThat(warmUp.find()).as(out).isTrue();
            // windows are 5 s: the third one (15 s) is the first that may end a 12 s minimum
            assertThat(Double.parseDouble(warmUp.group(1))).as(out).isGreaterThanOrEqualTo(12.0);
        }
    }

    @Test
    void shouldCallWindowsSteadyOnlyWhenRateAndMedianAgree() {
        assertThat(IngestCommand.steady(window(1000, 2_000), window(1050, 2_100), 0)).isTrue();
        assertThat(IngestCommand.steady(window(1000, 2_000), window(1300, 2_000), 0)).isFalse();
        assertThat(IngestCommand.steady(window(1000, 2_000), window(1000, 3_000), 0)).isFalse();
    }

    @Test
    void shouldCallOpenLoopWindowsSteadyOnlyWhenBothHoldTheOfferedRate() {
        assertThat(IngestCommand.steady(window(990, 2_000), window(1000, 2_100), 1000)).isTrue();
        assertThat(IngestCommand.steady(window(1361, 1_845_000), window(2503, 2_185_000), 5000)).isFalse();
        assertThat(IngestCommand.steady(window(800, 2_000), window(1000, 2_000), 1000)).isFalse();
    }

    private static IngestCommand.Phase window(long requests, long p50Micros) {
        Histogram h = new Histogram(3);
        h.recordValue(p50Micros);
        return new IngestCommand.Phase(1.0, requests, requests, requests, h, Map.of());
    }
}

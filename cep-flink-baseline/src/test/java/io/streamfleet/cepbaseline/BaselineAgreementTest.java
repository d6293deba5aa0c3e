package io.streamfleet.cepbaseline;

import io.streamfleet.cep.burst.BurstSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the benchmark harness honest: both engines, wired exactly as the benchmark wires them, run on a small
 * labelled stream. Both report every clear-cut episode and no near-miss; the two documented differences are pinned
 * too (Flink ends a trailing {@code timesOrMore} at its minimum, and the literal reference bounds a whole match by
 * T2).
 */
class BaselineAgreementTest {

    private static final long T = BenchmarkStream.T0;
    private static final BurstSettings SETTINGS = BurstSettings.defaults();

    private static LabelledStream stream;

    @BeforeAll
    static void labelledStream() {
        stream = new LabelledStream()
                .clearCut("acc-1", T)
                .twoLevelsOnly("acc-2", T + 100)
                .tooFewCancels("acc-3", T + 200)
                .clearCutLong("acc-4", T + 300)
                .tooFewCreates("acc-5", T + 400)
                .largeBurst("acc-6", T + 500)
                .clearCut("acc-1", T + 6_000);
    }

    @Test
    void shouldReportEveryClearCutEpisodeAndLargeBurstButNoNearMissWhenOurEngineRunsOnOneOrTwoThreads() throws Exception {
        Set<String> expected = new HashSet<>(stream.clearCut());
        expected.addAll(stream.largeBursts());
        EngineRun ours = new EngineRun(SETTINGS);

        assertThat(episodes(ours.run(stream.events(), 1))).isEqualTo(expected);
        assertThat(episodes(ours.run(stream.events(), 2))).isEqualTo(expected);
    }

    @Test
    void shouldReportEveryClearCutEpisodeAndNoNearMissWhenFlinkCepRunsTheReferenceOverTheEpisodeWindow() throws Exception {
        RunResult flink = new FlinkRun(SETTINGS).cep(stream.events(), 2, FlinkBurstPattern.Window.EPISODE);

        assertThat(episodes(flink)).isEqualTo(stream.clearCut());
        assertThat(flink.detections()).allSatisfy(d -> {
            assertThat(d.created()).isEqualTo(SETTINGS.minCreates());
            assertThat(d.canceled()).as("greedy does not hold back a trailing timesOrMore").isEqualTo(SETTINGS.minCancels());
        });
    }

    @Test
    void shouldMissTheEpisodeLongerThanT2WhenFlinkTakesTheLiteralReferenceWindows() throws Exception {
        RunResult flink = new FlinkRun(SETTINGS).cep(stream.events(), 1, FlinkBurstPattern.Window.RULE_LITERAL);

        Set<String> expected = new HashSet<>(stream.clearCut());
        expected.removeAll(stream.clearCutLong());
        assertThat(episodes(flink)).isEqualTo(expected);
    }

    private static Set<String> episodes(RunResult result) {
        return result.detections().stream().map(Detection::episode).collect(Collectors.toSet());
    }
}

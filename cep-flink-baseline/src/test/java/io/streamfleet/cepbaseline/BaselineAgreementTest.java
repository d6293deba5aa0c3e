package io.streamfleet.cepbaseline;

import io.streamfleet.cep.burst.BurstSettings;
import io.streamfleet.contracts.event.OrderEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the benchmark harness honest: the engines, wired exactly as the benchmark wires them, run on a small labelled
 * stream and on a generated one. Our engine and the Flink keyed rule report exactly the same detections (key, first
 * create, counts, window), every clear-cut episode and no near-miss. The Flink CEP library pattern is pinned with
 * its documented differences (it ends a trailing {@code timesOrMore} at its minimum, and the literal reference bounds
 * a whole match by T2).
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
    void shouldReportExactlyOurDetectionsWhenFlinkRunsTheRuleAsAKeyedFunctionAtParallelismOneOrTwo() throws Exception {
        Set<Detection> ours = Set.copyOf(new EngineRun(SETTINGS).run(stream.events(), 1).detections());
        FlinkRun flink = new FlinkRun(SETTINGS);

        RunResult one = flink.rule(stream.events(), 1);
        RunResult two = flink.rule(stream.events(), 2);

        Set<String> expected = new HashSet<>(stream.clearCut());
        expected.addAll(stream.largeBursts());
        assertThat(episodes(one)).isEqualTo(expected);
        assertThat(Set.copyOf(one.detections())).isEqualTo(ours);
        assertThat(Set.copyOf(two.detections())).isEqualTo(ours);
        assertThat(one.detections()).hasSameSizeAs(ours);
        assertThat(one.outOfOrder()).isZero();
    }

    @Test
    void shouldReportExactlyOurDetectionsWhenFlinkRunsTheRuleOnAGeneratedStream() throws Exception {
        OrderEvent[] events = BenchmarkStream.inEventOrder(BenchmarkStream.generate(60_000, 500, 3));
        RunResult ours = new EngineRun(SETTINGS).run(events, 1);

        RunResult flink = new FlinkRun(SETTINGS).rule(events, 2);

        assertThat(ours.detections()).hasSizeGreaterThan(50);
        assertThat(Set.copyOf(flink.detections())).isEqualTo(Set.copyOf(ours.detections()));
        assertThat(flink.detections()).hasSameSizeAs(ours.detections());
        assertThat(ours.outOfOrder()).isZero();
        assertThat(flink.outOfOrder()).isZero();
    }

    @Test
    void shouldReportExactlyOurDetectionsWhenFlinkRunsTheRuleWithLowThresholdsAndShortWindows() throws Exception {
        BurstSettings loose = new BurstSettings(4, 3, new BigDecimal("0.50"), 2, Duration.ofMillis(700),
                Duration.ofMillis(400), new BigDecimal("0.01"), Duration.ofSeconds(3));
        OrderEvent[] events = BenchmarkStream.inEventOrder(BenchmarkStream.generate(60_000, 300, 4));
        RunResult ours = new EngineRun(loose).run(events, 1);

        RunResult flink = new FlinkRun(loose).rule(events, 1);

        assertThat(ours.detections()).hasSizeGreaterThan(500);
        assertThat(Set.copyOf(flink.detections())).isEqualTo(Set.copyOf(ours.detections()));
        assertThat(flink.detections()).hasSameSizeAs(ours.detections());
    }

    @Test
    void shouldDropAndCountAnEventBehindItsKeyWhenFlinkRunsTheRule() throws Exception {
        OrderEvent[] events = stream.events();
        OrderEvent[] swapped = events.clone();
        int i = 0;
        while (!swapped[i].key().equals(swapped[i + 1].key()) || swapped[i].eventTimeMs() == swapped[i + 1].eventTimeMs()) {
            i++;
        }
        swapped[i] = events[i + 1];
        swapped[i + 1] = events[i];

        RunResult flink = new FlinkRun(SETTINGS).rule(swapped, 1);

        assertThat(flink.outOfOrder()).isEqualTo(1);
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

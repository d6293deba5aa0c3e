package io.streamfleet.support.progress;

import io.streamfleet.contracts.progress.ProgressMark;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.streamfleet.contracts.progress.ProgressMark.clock;
import static io.streamfleet.contracts.progress.ProgressMark.leaving;
import static org.assertj.core.api.Assertions.assertThat;

class PartitionTimeTest {

    private static final ProgressRules RULES = new ProgressRules(Duration.ofSeconds(1), Duration.ofSeconds(10));

    private final PartitionTime time = new PartitionTime(RULES);

    @Test
    void shouldTakeTheHighestEventTimeOfData() {
        time.onData(5_000);
        time.onData(4_000);
        assertThat(time.streamTimeMs()).isEqualTo(5_000);
    }

    @Test
    void shouldNotAdvanceBeforeTheIdleTimeoutOfProducerClock() {
        time.onData(5_000);
        time.onMark(clock("gw", 100_000));
        time.onMark(clock("gw", 100_999));
        assertThat(time.streamTimeMs()).isEqualTo(5_000);
    }

    @Test
    void shouldAdvanceByProducerClockElapsedSinceTheFirstMarkAfterData() {
        time.onData(5_000);
        time.onMark(clock("gw", 100_000));
        time.onMark(clock("gw", 101_000));
        assertThat(time.streamTimeMs()).isEqualTo(6_000);
        time.onMark(clock("gw", 103_500));
        assertThat(time.streamTimeMs()).isEqualTo(8_500);
    }

    @Test
    void shouldRestartTheSilenceAtEveryDataRecordAndNeverGoBack() {
        time.onData(5_000);
        time.onMark(clock("gw", 100_000));
        time.onMark(clock("gw", 102_000));
        assertThat(time.streamTimeMs()).isEqualTo(7_000);
        time.onData(6_500); // on time: within lateness of 7 000
        time.onMark(clock("gw", 102_200));
        time.onMark(clock("gw", 103_000));
        assertThat(time.streamTimeMs()).isEqualTo(7_000);
        time.onMark(clock("gw", 103_300));
        assertThat(time.streamTimeMs()).isEqualTo(8_100);
    }

    @Test
    void shouldFollowTheSlowestLiveProducer() {
        time.onData(5_000);
        time.onMark(clock("a", 100_000));
        time.onMark(clock("b", 100_000));
        time.onMark(clock("a", 104_000));
        assertThat(time.streamTimeMs()).as("b has not moved").isEqualTo(5_000);
        time.onMark(clock("b", 102_000));
        assertThat(time.streamTimeMs()).isEqualTo(7_000);
    }

    @Test
    void shouldStopCountingAProducerThatLeft() {
        time.onData(5_000);
        time.onMark(clock("a", 100_000));
        time.onMark(clock("b", 100_000));
        time.onMark(leaving("b", 100_100));
        time.onMark(clock("a", 103_000));
        assertThat(time.streamTimeMs()).isEqualTo(8_000);
        assertThat(time.liveSources()).containsOnlyKeys("a");
    }

    @Test
    void shouldStopCountingAProducerSilentLongerThanTheTimeoutOnTheOthersClock() {
        time.onData(5_000);
        time.onMark(clock("a", 100_000));
        time.onMark(clock("b", 100_000));
        time.onMark(clock("a", 110_000));
        assertThat(time.streamTimeMs()).as("b silent for exactly the timeout still counts").isEqualTo(5_000);
        time.onMark(clock("a", 110_001));
        assertThat(time.liveSources()).containsOnlyKeys("a");
        assertThat(time.streamTimeMs()).isEqualTo(15_001);
    }

    @Test
    void shouldTakeStreamTimeMarksOfTheUpstreamStageAsTheyAre() {
        time.onData(5_000);
        time.onMark(ProgressMark.streamTime("stream-processor", 9_000));
        assertThat(time.streamTimeMs()).isEqualTo(9_000);
        time.onMark(ProgressMark.streamTime("stream-processor", 8_000));
        assertThat(time.streamTimeMs()).isEqualTo(9_000);
    }

    @Test
    void shouldNotMoveAPartitionThatNeverHadData() {
        time.onMark(clock("gw", 100_000));
        time.onMark(clock("gw", 200_000));
        assertThat(time.streamTimeMs()).isEqualTo(PartitionTime.NONE);
    }

    @Test
    void shouldResumeFromPersistedEntriesExactlyAsAnUninterruptedRun() {
        time.onData(5_000);
        time.onMark(clock("a", 100_000));
        time.onMark(clock("b", 100_100));
        PartitionTime resumed = PartitionTime.restore(RULES, time.entries());
        for (PartitionTime t : List.of(time, resumed)) {
            t.onMark(clock("a", 102_000));
            t.onMark(clock("b", 102_000));
        }
        assertThat(resumed.streamTimeMs()).isEqualTo(time.streamTimeMs()).isEqualTo(7_000);
        assertThat(resumed.entries()).isEqualTo(time.entries());
    }

    @Test
    void shouldResumeFromStateWrittenBeforeProgressRecordsExisted() {
        PartitionTime old = PartitionTime.restore(RULES, java.util.Map.of("stream-time", 5_000L));
        old.onMark(clock("gw", 100_000));
        old.onMark(clock("gw", 101_500));
        assertThat(old.streamTimeMs()).isEqualTo(6_500);
    }

    /** Restoring from the entries at any point of a log yields the same time as never stopping. */
    @Property(tries = 300)
    void shouldBeAFunctionOfTheLogWhateverWhereItIsRestarted(@ForAll("logs") List<Step> log,
                                                             @ForAll int cutSeed) {
        PartitionTime straight = new PartitionTime(RULES);
        log.forEach(s -> s.apply(straight));
        int cut = Math.floorMod(cutSeed, log.size() + 1);
        PartitionTime first = new PartitionTime(RULES);
        log.subList(0, cut).forEach(s -> s.apply(first));
        PartitionTime second = PartitionTime.restore(RULES, first.entries());
        log.subList(cut, log.size()).forEach(s -> s.apply(second));
        assertThat(second.streamTimeMs()).isEqualTo(straight.streamTimeMs());
    }

    /** Stream time never goes back, and never passes a data record's time plus the clock elapsed since it. */
    @Property(tries = 300)
    void shouldNeverGoBack(@ForAll("logs") List<Step> log) {
        PartitionTime t = new PartitionTime(RULES);
        long previous = PartitionTime.NONE;
        for (Step step : log) {
            step.apply(t);
            assertThat(t.streamTimeMs()).isGreaterThanOrEqualTo(previous);
            previous = t.streamTimeMs();
        }
    }

    record Step(boolean data, String source, long time) {
        void apply(PartitionTime t) {
            if (data) {
                t.onData(time);
            } else {
                t.onMark(clock(source, time));
            }
        }
    }

    @Provide
    Arbitrary<List<Step>> logs() {
        Arbitrary<Step> data = Arbitraries.longs().between(0, 50_000).map(t -> new Step(true, "", t));
        Arbitrary<Step> mark = Combinators.combine(Arbitraries.of("a", "b"), Arbitraries.longs().between(100_000,
                160_000)).as((s, t) -> new Step(false, s, t));
        return Arbitraries.oneOf(data, mark).list().ofMaxSize(40);
    }
}

package io.streamfleet.bench.cli;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DrainPolicyTest {

    private static final DrainPolicy POLICY = DrainPolicy.of(30_000, 300_000);
    private static final Map<String, Long> ZERO = Map.of("streamfleet-stream-processor", 0L,
            "streamfleet-cep-detector", 0L);
    private static final Map<String, Long> LAGGING = Map.of("streamfleet-stream-processor", 41_000L,
            "streamfleet-cep-detector", 0L);

    @Test
    void shouldEndAfterTheSettleOnceEveryEpisodeAlertedAndNothingLags() {
        assertThat(POLICY.decide(5_000, 20, 20, ZERO, 0)).isNull();
        assertThat(POLICY.decide(8_000, 20, 20, ZERO, 0)).isEqualTo(DrainPolicy.Ending.COMPLETE);
    }

    @Test
    void shouldNotCallARunCompleteWhileTheFleetStillLagsEvenIfEveryEpisodeAlerted() {
        assertThat(POLICY.decide(20_000, 20, 20, LAGGING, -1)).isNull();
    }

    @Test
    void shouldWaitPastThePlannedDrainWhileAnyGroupLags() {
        assertThat(POLICY.decide(30_000, 12, 20, LAGGING, -1)).isNull();
        assertThat(POLICY.decide(299_000, 12, 20, LAGGING, -1)).isNull();
    }

    @Test
    void shouldGiveUpAtTheLimitAndSayTheFleetStillLagged() {
        assertThat(POLICY.decide(300_000, 12, 20, LAGGING, -1)).isEqualTo(DrainPolicy.Ending.LIMIT_WITH_LAG);
    }

    @Test
    void shouldGiveTheAlertsBehindTheLagOneSettleAfterTheLagReachedZero() {
        assertThat(POLICY.decide(95_000, 18, 20, ZERO, 90_000)).isNull();
        assertThat(POLICY.decide(98_000, 18, 20, ZERO, 90_000)).isEqualTo(DrainPolicy.Ending.DRAINED);
    }

    @Test
    void shouldEndAtThePlannedDrainWhenTheLagHadLongBeenZero() {
        assertThat(POLICY.decide(29_500, 18, 20, ZERO, 2_000)).isNull();
        assertThat(POLICY.decide(30_000, 18, 20, ZERO, 2_000)).isEqualTo(DrainPolicy.Ending.DRAINED);
    }

    @Test
    void shouldSayTheLagWasUnknownRatherThanCallEpisodesMissed() {
        assertThat(POLICY.decide(30_000, 18, 20, Map.of(), -1)).isEqualTo(DrainPolicy.Ending.LAG_UNKNOWN);
    }

    @Test
    void shouldCountTheFewClockMarksInFlightAsCaughtUpButNotABacklog() {
        assertThat(DrainPolicy.caughtUp(6)).isTrue();
        assertThat(DrainPolicy.caughtUp(DrainPolicy.CAUGHT_UP_LAG)).isTrue();
        assertThat(DrainPolicy.caughtUp(4_111)).isFalse();
    }

    @Test
    void shouldTreatALimitShorterThanTheDrainAsTheDrain() {
        DrainPolicy longDrain = DrainPolicy.of(600_000, 300_000);
        assertThat(longDrain.limitMs()).isEqualTo(600_000);
    }
}

package io.streamfleet.bench.report;

import io.streamfleet.bench.scenario.GroundTruth;
import io.streamfleet.bench.scenario.Label;
import io.streamfleet.bench.sse.ReceivedAlert;
import io.streamfleet.contracts.alert.AlertType;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DetectionEvaluatorTest {

    private static final String RUN = "rtest0001";

    private static Label episode(String id, String key, String alertId, long windowStartMs, List<String> events) {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("windowStartMs", windowStartMs);
        expected.put("created", 10);
        expected.put("createdPriceLevels", List.of(100L, 101L, 102L));
        return new Label(id, AlertType.BURST_CREATE_MASS_CANCEL, "EPISODE", true, key, alertId, null, expected, events);
    }

    private static Label nearMiss(String id, String key) {
        return new Label(id, AlertType.BURST_CREATE_MASS_CANCEL, "NEAR_MISS_CREATES", false, key, null,
                "created 9 < 10", Map.of(), List.of("x"));
    }

    private static ReceivedAlert alert(String alertId, String key, long windowStartMs, long arrivalMs) {
        String[] parts = key.split("\\|");
        String json = "{\"alertId\":\"" + alertId + "\",\"type\":\"BURST_CREATE_MASS_CANCEL\",\"accountId\":\""
                + parts[0] + "\",\"symbol\":\"" + parts[1] + "\",\"windowStartMs\":" + windowStartMs
                + ",\"created\":10,\"createdPriceLevels\":[100,101,102]}";
        return ReceivedAlert.from("id-" + arrivalMs, json, arrivalMs);
    }

    @Test
    void shouldScorePrecisionRecallDuplicatesAndLatencyWhenAlertsAreMixed() {
        GroundTruth truth = new GroundTruth(RUN, 1, 0, List.of(
                episode("ep-1", "ep-" + RUN + "-1|AAPL", "bcmc_1", 1_000, List.of("a", "b")),
                episode("ep-2", "ep-" + RUN + "-2|AAPL", "bcmc_2", 2_000, List.of("c")),
                episode("ep-3", "ep-" + RUN + "-3|AAPL", "bcmc_3", 3_000, List.of("d")),
                nearMiss("nm-1", "nm-" + RUN + "-1|AAPL"),
                nearMiss("nm-2", "nm-" + RUN + "-2|AAPL")));
        List<ReceivedAlert> received = List.of(
                alert("bcmc_1", "ep-" + RUN + "-1|AAPL", 1_000, 10_000),
                alert("bcmc_1", "ep-" + RUN + "-1|AAPL", 1_000, 10_050),
                alert("bcmc_2x", "ep-" + RUN + "-2|AAPL", 2_500, 11_000),
                alert("bcmc_9", "nm-" + RUN + "-1|AAPL", 9_000, 12_000),
                alert("bcmc_8", "acct-" + RUN + "-7|MSFT", 9_000, 12_000),
                alert("bcmc_old", "ep-rother0001-1|AAPL", 9_000, 12_000));
        Map<String, Long> acks = Map.of("a", 5_000L, "b", 6_000L, "c", 7_000L, "d", 7_500L, "x", 8_000L);

        DetectionEvaluator.Result result = DetectionEvaluator.evaluate(truth, received, acks, Set.of());

        Detection bursts = result.summaries().get(0);
        assertThat(bursts.type()).isEqualTo("BURST_CREATE_MASS_CANCEL");
        assertThat(bursts.expected()).isEqualTo(3);
        assertThat(bursts.found()).isEqualTo(2);
        assertThat(bursts.missed()).containsExactly("ep-3");
        assertThat(bursts.nearMisses()).isEqualTo(2);
        assertThat(bursts.nearMissesFlagged()).isEqualTo(1);
        assertThat(bursts.otherFalseAlerts()).isEqualTo(1);
        assertThat(bursts.precision()).isEqualTo(2.0 / 4);
        assertThat(bursts.recall()).isEqualTo(2.0 / 3);
        assertThat(bursts.duplicateDeliveries()).isEqualTo(1);
        assertThat(bursts.idMismatches()).isEqualTo(1);
        assertThat(bursts.fieldMismatches()).isEqualTo(1);
        assertThat(bursts.latency().count()).isEqualTo(2);
        assertThat(bursts.latency().maxMs()).isCloseTo(4_000, org.assertj.core.data.Percentage.withPercentage(0.1));
        assertThat(result.foreignAlerts()).isEqualTo(1);

        LabelOutcome first = result.outcomes().get(0);
        assertThat(first.latencyMs()).isEqualTo(10_000 - 6_000);
        assertThat(first.idMatches()).isTrue();
        assertThat(first.fieldMismatches()).isEmpty();
        assertThat(first.correct()).isFalse();
        assertThat(result.outcomes().get(1).fieldMismatches()).singleElement().asString().startsWith("windowStartMs");
        assertThat(result.outcomes().get(4).correct()).isTrue();
    }

    @Test
    void shouldReportPerfectScoresWhenEveryEpisodeAlertsOnceAndNothingElse() {
        GroundTruth truth = new GroundTruth(RUN, 1, 0, List.of(
                episode("ep-1", "ep-" + RUN + "-1|AAPL", "bcmc_1", 1_000, List.of("a")),
                nearMiss("nm-1", "nm-" + RUN + "-1|AAPL")));
        DetectionEvaluator.Result result = DetectionEvaluator.evaluate(truth,
                List.of(alert("bcmc_1", "ep-" + RUN + "-1|AAPL", 1_000, 9_000)), Map.of("a", 5_000L, "x", 5_000L),
                Set.of());
        Detection all = result.summaries().get(2);
        assertThat(all.type()).isEqualTo("ALL");
        assertThat(all.recall()).isEqualTo(1.0);
        assertThat(all.precision()).isEqualTo(1.0);
        assertThat(all.duplicateDeliveries()).isZero();
        assertThat(result.outcomes()).allMatch(LabelOutcome::correct);
        assertThat(all.inputIncomplete()).isZero();
    }

    @Test
    void shouldCountAlertsOnUnlabelledKeysWithIncompleteInputApartAndTheOthersAsFalse() {
        GroundTruth truth = new GroundTruth(RUN, 1, 0, List.of(
                episode("ep-1", "ep-" + RUN + "-1|AAPL", "bcmc_1", 1_000, List.of("a"))));
        String refusedKey = "bg-" + RUN + "-7|MSFT";
        String completeKey = "bg-" + RUN + "-8|MSFT";
        DetectionEvaluator.Result result = DetectionEvaluator.evaluate(truth,
                List.of(alert("bcmc_1", "ep-" + RUN + "-1|AAPL", 1_000, 9_000),
                        alert("bcmc_7", refusedKey, 1_000, 9_100),
                        alert("bcmc_8", completeKey, 1_000, 9_200)),
                Map.of("a", 5_000L), Set.of(), Set.of(), Set.of(refusedKey));

        Detection all = result.summaries().get(2);
        assertThat(all.found()).isEqualTo(1);
        assertThat(all.incompleteKeyAlerts()).isEqualTo(1);
        assertThat(all.otherFalseAlerts()).as("the alert on a key whose input was complete is still false").isEqualTo(1);
        assertThat(all.precision()).isEqualTo(0.5);
    }

    @Test
    void shouldLeaveALabelOutWhenAnotherEventOnItsKeyWasNotAcceptedEvenIfItsOwnEventsWere() {
        String key = "ep-" + RUN + "-1|AAPL";
        GroundTruth truth = new GroundTruth(RUN, 1, 0, List.of(episode("ep-1", key, "bcmc_1", 1_000, List.of("a"))));
        DetectionEvaluator.Result result = DetectionEvaluator.evaluate(truth,
                List.of(alert("bcmc_other", key, 500, 9_000)), Map.of("a", 5_000L), Set.of(), Set.of(), Set.of(key));

        assertThat(result.outcomes().get(0).inputComplete()).isFalse();
        Detection all = result.summaries().get(2);
        assertThat(all.expected()).isZero();
        assertThat(all.inputIncomplete()).isEqualTo(1);
        assertThat(all.incompleteAlerted()).isEqualTo(1);
        assertThat(all.idMismatches() + all.fieldMismatches()).as("not judged against the ground truth").isZero();
    }

    @Test
    void shouldLeaveLabelsWithRefusedOrDivertedEventsOutOfTheScoresAndCountWhetherTheyAlerted() {
        GroundTruth truth = new GroundTruth(RUN, 1, 0, List.of(
                episode("ep-1", "ep-" + RUN + "-1|AAPL", "bcmc_1", 1_000, List.of("a", "b")),
                episode("ep-2", "ep-" + RUN + "-2|AAPL", "bcmc_2", 2_000, List.of("c", "d")),
                episode("ep-3", "ep-" + RUN + "-3|AAPL", "bcmc_3", 3_000, List.of("e")),
                nearMiss("nm-1", "nm-" + RUN + "-1|AAPL")));
        List<ReceivedAlert> received = List.of(
                alert("bcmc_2x", "ep-" + RUN + "-2|AAPL", 2_500, 11_000),
                alert("bcmc_3", "ep-" + RUN + "-3|AAPL", 3_000, 12_000),
                alert("bcmc_9", "nm-" + RUN + "-1|AAPL", 9_000, 12_000));
        // ep-1: "b" refused by the gateway; ep-2: "d" diverted as late; nm-1: its event "x" diverted as late
        Map<String, Long> acks = Map.of("a", 5_000L, "c", 6_000L, "d", 6_000L, "e", 7_000L, "x", 7_000L);

        DetectionEvaluator.Result result = DetectionEvaluator.evaluate(truth, received, acks, Set.of("d", "x"));

        Detection bursts = result.summaries().get(0);
        assertThat(bursts.expected()).isEqualTo(1);
        assertThat(bursts.found()).isEqualTo(1);
        assertThat(bursts.missed()).isEmpty();
        assertThat(bursts.nearMisses()).isZero();
        assertThat(bursts.falsePositives()).isZero();
        assertThat(bursts.fieldMismatches()).isZero();
        assertThat(bursts.inputIncomplete()).isEqualTo(3);
        assertThat(bursts.incompleteAlerted()).isEqualTo(2);
        assertThat(result.outcomes()).extracting(LabelOutcome::notAccepted).containsExactly(1, 0, 0, 0);
        assertThat(result.outcomes()).extracting(LabelOutcome::divertedOnTime).containsExactly(0, 1, 0, 1);
        assertThat(result.outcomes()).extracting(LabelOutcome::inputComplete).containsExactly(false, false, true, false);
    }

    @Test
    void shouldScoreAnEventAcceptedOnAResendAtThatResendAndLeaveOutLabelsWithAnEventGivenUpOrDivertedAfterItsResend() {
        GroundTruth truth = new GroundTruth(RUN, 1, 0, List.of(
                episode("ep-1", "ep-" + RUN + "-1|AAPL", "bcmc_1", 1_000, List.of("a", "b")),
                episode("ep-2", "ep-" + RUN + "-2|AAPL", "bcmc_2", 2_000, List.of("c", "d")),
                episode("ep-3", "ep-" + RUN + "-3|AAPL", "bcmc_3", 3_000, List.of("e"))));
        List<ReceivedAlert> received = List.of(
                alert("bcmc_1", "ep-" + RUN + "-1|AAPL", 1_000, 12_000),
                alert("bcmc_3", "ep-" + RUN + "-3|AAPL", 3_000, 12_500));
        // b: refused, accepted on its resend at 9 000; d: refused on every attempt, given up (no ack);
        // e: accepted on its resend, too late for its window, so stream-processor diverted it
        Map<String, Long> acks = Map.of("a", 5_000L, "b", 9_000L, "c", 5_500L, "e", 9_500L);

        DetectionEvaluator.Result result = DetectionEvaluator.evaluate(truth, received, acks, Set.of("e"),
                Set.of("b", "d", "e"));

        assertThat(result.outcomes()).extracting(LabelOutcome::acceptedOnRetry).containsExactly(1, 0, 1);
        assertThat(result.outcomes()).extracting(LabelOutcome::notAccepted).containsExactly(0, 1, 0);
        assertThat(result.outcomes()).extracting(LabelOutcome::inputComplete).containsExactly(true, false, false);
        assertThat(result.outcomes().get(0).latencyMs()).as("from the resend's acceptance, not the first send")
                .isEqualTo(12_000 - 9_000);
        Detection bursts = result.summaries().get(0);
        assertThat(bursts.expected()).isEqualTo(1);
        assertThat(bursts.found()).isEqualTo(1);
        assertThat(bursts.missed()).isEmpty();
        assertThat(bursts.inputIncomplete()).isEqualTo(2);
        assertThat(bursts.incompleteAlerted()).isEqualTo(1);
    }
}

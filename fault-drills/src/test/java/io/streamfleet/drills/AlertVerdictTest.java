package io.streamfleet.drills;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AlertVerdictTest {

    private static final Map<String, String> JUDGED = Map.of("a1", "ep-001 (BURST_CANCEL, key k1)",
            "a2", "ep-002 (BURST_CANCEL, key k2)");

    @Test
    void shouldPassWhenEveryJudgedEpisodeAlertedExactlyOnce() {
        AlertVerdict v = AlertVerdict.judge(JUDGED, Set.of(), Map.of("a1", 1, "a2", 1));

        assertThat(v.problems()).isEmpty();
        assertThat(v.audit()).isEqualTo(new DrillResult.AlertAudit(2, 2, 0, 0, 0, 0));
    }

    @Test
    void shouldFailWhenAJudgedEpisodeDidNotAlertWhateverHappenedToItsEvents() {
        AlertVerdict v = AlertVerdict.judge(JUDGED, Set.of(), Map.of("a1", 1));

        assertThat(v.audit().missing()).isEqualTo(1);
        assertThat(v.audit().found()).isEqualTo(1);
        assertThat(v.problems()).singleElement().asString()
                .isEqualTo("1 expected alerts missing from the alert topics: [ep-002 (BURST_CANCEL, key k2)]");
    }

    @Test
    void shouldFailWhenAnAlertIsTwiceInTheAlertTopicsAlsoForAnEpisodeNotJudged() {
        AlertVerdict v = AlertVerdict.judge(JUDGED, Set.of("a3"), Map.of("a1", 2, "a2", 1, "a3", 2));

        assertThat(v.audit().duplicated()).isEqualTo(2);
        assertThat(v.audit().found()).isEqualTo(2);
        assertThat(v.problems()).singleElement().asString().startsWith("2 alerts are in the alert topics more than once");
    }

    @Test
    void shouldAllowAnEpisodeNotJudgedToAlertOnceOrNotAtAllButNoAlertOutsideTheGroundTruth() {
        AlertVerdict v = AlertVerdict.judge(JUDGED, Set.of("a3", "a4"), Map.of("a1", 1, "a2", 1, "a3", 1, "x", 1));

        assertThat(v.audit()).isEqualTo(new DrillResult.AlertAudit(2, 2, 0, 0, 1, 2));
        assertThat(v.problems()).singleElement().asString().startsWith("1 alerts that the ground truth does not expect");
    }

    @Test
    void shouldAcceptOneAlertOnTheKeyOfANearMissThatWasNotJudgedButNotTwoAndNotOnAJudgedOne() {
        AlertVerdict once = AlertVerdict.judge(Map.of(), Set.of(), Map.of("a1", 1, "a2", 1),
                Set.of("nm-1|X"), Map.of("a1", "nm-1|X", "a2", "nm-2|Y"));
        assertThat(once.audit().unexpected()).as("a2 is on a near-miss that was judged").isEqualTo(1);
        assertThat(once.problems()).singleElement().asString().as("an unexpected alert is named with its key")
                .contains("[a2 (key nm-2|Y)]");
        assertThat(once.audit().duplicated()).isZero();

        AlertVerdict twice = AlertVerdict.judge(Map.of(), Set.of(), Map.of("a1", 1, "a3", 1),
                Set.of("nm-1|X"), Map.of("a1", "nm-1|X", "a3", "nm-1|X"));
        assertThat(twice.audit().unexpected()).isZero();
        assertThat(twice.audit().duplicated()).isEqualTo(1);
    }

    @Test
    void shouldAcceptANotJudgedEpisodesAlertUnderAnotherIdOnItsKeyButNotBesideItsOwn() {
        // a3 was expected for the late-acknowledged episode on key ep-3|U; b3 is a drop with moved session bounds
        AlertVerdict instead = AlertVerdict.judge(JUDGED, Set.of("a3"), Map.of("a1", 1, "a2", 1, "b3", 1),
                Set.of("ep-3|U"), Map.of("a1", "k1", "a2", "k2", "b3", "ep-3|U"));
        assertThat(instead.problems()).isEmpty();

        AlertVerdict beside = AlertVerdict.judge(JUDGED, Set.of("a3"), Map.of("a1", 1, "a2", 1, "a3", 1, "b3", 1),
                Set.of("ep-3|U"), Map.of("a1", "k1", "a2", "k2", "a3", "ep-3|U", "b3", "ep-3|U"));
        assertThat(beside.audit().duplicated()).isEqualTo(1);
        assertThat(beside.problems()).singleElement().asString().contains("b3 (episode or near-miss not judged, key "
                + "ep-3|U, another alert on it)");
    }
}

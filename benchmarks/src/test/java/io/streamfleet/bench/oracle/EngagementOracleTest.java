package io.streamfleet.bench.oracle;

import io.streamfleet.bench.scenario.BenchEvent;
import io.streamfleet.bench.scenario.EventTag;
import io.streamfleet.bench.scenario.Label;
import io.streamfleet.bench.scenario.Scenario;
import io.streamfleet.bench.scenario.ScenarioGenerator;
import io.streamfleet.bench.scenario.ScenarioSettings;
import io.streamfleet.bench.scenario.SessionRules;
import io.streamfleet.bench.sse.ReceivedAlert;
import io.streamfleet.contracts.alert.AlertType;
import io.streamfleet.contracts.alert.EngagementAlert;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.EngagementEventType;
import io.streamfleet.contracts.json.ContractMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class EngagementOracleTest {

    private static final long MIN = 60_000;
    private static final long GAP = 30 * MIN;
    private static final long GRACE = 120_000;
    private static final long T0 = 1_790_000_000_000L;

    private final EngagementOracle oracle = EngagementOracle.of(SessionRules.defaults());

    @Test
    void shouldImplyExactlyTheLabelledDropsOfAGeneratedScenarioFromItsOnTimeEvents() {
        Scenario scenario = ScenarioGenerator.generate(new ScenarioSettings(5, T0, 400, 20_000, 40, 0.25, 30, 600,
                3, 3, 6, 7, 1_000, 0.05, 0.01, io.streamfleet.bench.scenario.BurstRules.defaults(),
                SessionRules.defaults(), 0, ScenarioSettings.DEFAULT_WARM_UP_MS));
        List<EngagementEvent> onTime = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (BenchEvent e : scenario.events()) {
            if (!e.isOrder() && e.tag() != EventTag.LATE && seen.add(e.eventId())) {
                onTime.add(e.engagement());
            }
        }
        Set<String> mustAlert = scenario.truth().labels().stream()
                .filter(l -> l.type() == AlertType.ENGAGEMENT_DROP && l.mustAlert())
                .map(Label::expectedAlertId).collect(Collectors.toSet());

        List<EngagementOracle.Implied> implied = oracle.imply(onTime, Long.MAX_VALUE);

        assertThat(mustAlert).hasSize(6);
        assertThat(implied).allMatch(EngagementOracle.Implied::due);
        assertThat(implied).extracting(i -> i.alert().alertId()).containsExactlyInAnyOrderElementsOf(mustAlert);
    }

    @Test
    void shouldOweOnlyTheDropsOfSessionsClosedByTheHorizon() {
        List<EngagementEvent> events = new ArrayList<>();
        long t = T0;
        for (int s = 0; s < 4; s++) {
            // sessions 3 and 4 drop: 10 s, 10 s, 5 s, then 2 s against a baseline that has fallen to 8.5 s
            long dwell = s < 2 ? 10_000 : s == 2 ? 5_000 : 2_000;
            events.add(view("u", t, dwell));
            events.add(view("u", t + MIN, dwell));
            t += 2 * GAP;
        }
        long lastEnd = T0 + 3 * 2 * GAP + MIN;

        List<EngagementOracle.Implied> implied = oracle.imply(events, lastEnd + GAP + GRACE);

        assertThat(implied).hasSize(2);
        assertThat(implied.get(0).due()).isTrue();
        assertThat(implied.get(1).due()).isFalse();
        assertThat(implied.get(1).alert().sessionEndMs()).isEqualTo(lastEnd);
        assertThat(oracle.imply(events, lastEnd + GAP + GRACE + 1)).allMatch(EngagementOracle.Implied::due);
        assertThat(oracle.imply(events, Long.MIN_VALUE)).noneMatch(EngagementOracle.Implied::due);
    }

    @Test
    void shouldCountAlertsAsExplainedMismatchedOrUnexplainedAndDueDropsWithoutOneAsMissing() {
        EngagementAlert explained = alert("a", T0, 5_000);
        EngagementAlert mismatched = alert("b", T0, 5_000);
        EngagementAlert silent = alert("c", T0, 5_000);
        EngagementAlert notYet = alert("d", T0, 5_000);
        EngagementAlert foreign = alert("e", T0, 5_000);
        EngagementAlert mismatchedAsReceived = alert("b", T0, 5_100);

        EngagementCheck check = EngagementCheck.of(300, List.of(new EngagementOracle.Implied(explained, true),
                        new EngagementOracle.Implied(mismatched, true), new EngagementOracle.Implied(silent, true),
                        new EngagementOracle.Implied(notYet, false)),
                List.of(received(explained), received(explained), received(mismatchedAsReceived), received(foreign)),
                "");

        assertThat(check.events()).isEqualTo(300);
        assertThat(check.expected()).isEqualTo(3);
        assertThat(check.pending()).isEqualTo(1);
        assertThat(check.alerts()).isEqualTo(3);
        assertThat(check.explained()).isEqualTo(1);
        assertThat(check.fieldMismatches()).isEqualTo(1);
        assertThat(check.unexplained()).isEqualTo(1);
        assertThat(check.missing()).isEqualTo(1);
        assertThat(check.exact()).isFalse();
        assertThat(check.samples()).anyMatch(s -> s.startsWith("unexplained " + foreign.alertId()))
                .anyMatch(s -> s.startsWith("missing " + silent.alertId()))
                .anyMatch(s -> s.startsWith("fields of " + mismatched.alertId()));
    }

    @Test
    void shouldBeExactWhenEveryAlertIsImpliedAndEveryDueDropArrivedAndCountAPendingOneReceivedAsExplained() {
        EngagementAlert due = alert("a", T0, 5_000);
        EngagementAlert early = alert("b", T0, 5_000);

        EngagementCheck check = EngagementCheck.of(20, List.of(new EngagementOracle.Implied(due, true),
                new EngagementOracle.Implied(early, false)), List.of(received(due), received(early)), "");

        assertThat(check.exact()).isTrue();
        assertThat(check.explained()).isEqualTo(2);
        assertThat(check.pending()).isZero();
        assertThat(check.samples()).isEmpty();
        assertThat(EngagementCheck.of(0, List.of(), List.of(), "engagement.clean: not read to its end").exact())
                .isFalse();
    }

    /** The alert the oracle's engine raises for a third session at {@code dwellMs} after two at 10 s. */
    private EngagementAlert alert(String user, long start, long dwellMs) {
        List<EngagementEvent> events = List.of(view(user, start, 10_000), view(user, start + 2 * GAP, 10_000),
                view(user, start + 4 * GAP, dwellMs));
        List<EngagementOracle.Implied> implied = oracle.imply(events, Long.MAX_VALUE);
        assertThat(implied).hasSize(1);
        return implied.get(0).alert();
    }

    private static ReceivedAlert received(EngagementAlert alert) {
        return ReceivedAlert.from("1", ContractMapper.shared().writeValueAsString(alert), 0);
    }

    private static int ids;

    private static EngagementEvent view(String user, long timeMs, long dwellMs) {
        return new EngagementEvent("ev-" + ++ids, user, "c-1", EngagementEventType.VIEW_END, timeMs, dwellMs, true);
    }
}

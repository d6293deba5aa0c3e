package io.streamfleet.bench.late;

import io.streamfleet.bench.scenario.BenchEvent;
import io.streamfleet.bench.scenario.EventTag;
import io.streamfleet.bench.scenario.ScenarioSettings;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.EngagementEventType;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ClientLatenessTest {

    private static final long START = 1_790_000_000_000L;
    /** Orders 3 s; engagement 120 s of event time on a 240x clock that began 2 h before the run. */
    private static final ClientLateness RULE = new ClientLateness(START, 3_000, START - 7_200_000, 240, 120_000);

    static BenchEvent order(String id, long eventTimeMs, long scheduledOffsetMs) {
        return BenchEvent.order(TimeUnit.MILLISECONDS.toNanos(scheduledOffsetMs), new OrderEvent(id, "acct", "AAPL",
                OrderEventType.CREATED, "o-" + id, Side.BUY, 101.25, 10, eventTimeMs), EventTag.NOISE, null);
    }

    static BenchEvent engagement(String id, long eventTimeMs, long scheduledOffsetMs) {
        return BenchEvent.engagement(TimeUnit.MILLISECONDS.toNanos(scheduledOffsetMs), new EngagementEvent(id, "u-1",
                "c-1", EngagementEventType.CLICK, eventTimeMs, 0, false), EventTag.NOISE, null);
    }

    @Test
    void shouldCallAnOrderLateByTheClientOnlyWhenSentMoreThanTheOrdersLatenessAfterItsEventTime() {
        BenchEvent e = order("o1", START + 10_000, 10_000);

        assertThat(RULE.lateByClient(e, START + 13_000)).as("exactly the bound: still on time (event >= clock - 3 s)")
                .isFalse();
        assertThat(RULE.lateByClient(e, START + 13_001)).isTrue();
        assertThat(RULE.lateByClient(e, START + 10_000 + 40_000)).as("40 s behind, as in the overload runs").isTrue();
        assertThat(RULE.ageAtSendMs(e, START + 13_001)).isEqualTo(3_001);
    }

    @Test
    void shouldMeasureAnEngagementEventOnTheRunsCompressedClock() {
        // the event time of the engagement clock at 10 s into the run: origin + 10 s x 240
        long eventTime = START - 7_200_000 + 10_000 * 240;
        BenchEvent e = engagement("e1", eventTime, 10_000);

        assertThat(RULE.clockAt(e, START + 10_000)).isEqualTo(eventTime);
        assertThat(RULE.wallBoundMs(e)).isEqualTo(500.0);
        assertThat(RULE.lateByClient(e, START + 10_500)).as("500 ms of wall time = 120 s of its clock").isFalse();
        assertThat(RULE.lateByClient(e, START + 10_501)).isTrue();
        assertThat(RULE.ageAtSendMs(e, START + 10_501)).isEqualTo(120_240);
    }

    @Test
    void shouldTakeTheRuleFromTheScenarioSettings() {
        ScenarioSettings s = ScenarioSettings.defaults(START, 1_000, 60_000);
        ClientLateness rule = ClientLateness.of(s);

        assertThat(rule.orderLatenessMs()).isEqualTo(s.burst().latenessMs());
        assertThat(rule.engagementLatenessMs()).isEqualTo(s.session().latenessMs());
        assertThat(rule.engagementSpeed()).isEqualTo(s.engagementSpeed());
        assertThat(rule.clockAt(engagement("x", 0, 0), START)).isEqualTo(s.engagementClockStartMs());
        assertThat(rule.clockAt(engagement("x", 0, 0), START + s.durationMs())).isEqualTo(s.engagementClockEndMs());
    }

    @Test
    void shouldJudgeAnIdByItsEarliestCountingSendAndLeaveUnknownSendsToTheFleet() {
        // positions: 0 a (sent in time), 1 b (sent 5 s late), 2 a's duplicate (sent 5 s late), 3 c (never counted)
        List<BenchEvent> stream = List.of(order("a", START, 0), order("b", START, 0), order("a", START, 200),
                order("c", START, 0));
        Map<Integer, Long> sent = new HashMap<>(Map.of(0, START + 100, 1, START + 5_000, 2, START + 5_000));

        Set<String> late = RULE.lateByClient(stream, Set.of("a", "b", "c"),
                seq -> sent.getOrDefault(seq, ClientLateness.NO_SEND));

        assertThat(late).as("a had a copy on the wire in time; c's send time is unknown").containsExactly("b");
        sent.put(0, START + 4_000);
        assertThat(RULE.lateByClient(stream, Set.of("a", "b", "c"),
                seq -> sent.getOrDefault(seq, ClientLateness.NO_SEND))).containsExactlyInAnyOrder("a", "b");
        assertThat(RULE.lateByClient(stream, Set.of("b"), seq -> sent.getOrDefault(seq, ClientLateness.NO_SEND)))
                .as("only candidates are judged").containsExactly("b");
    }

    @Test
    void shouldMeasureTheSlackLeftAtSendInWallClockMillisecondsForBothClocks() {
        BenchEvent o = order("o1", START + 10_000, 10_000);
        long engagementTime = START - 7_200_000 + 10_000 * 240;
        BenchEvent e = engagement("e1", engagementTime, 10_000);

        assertThat(RULE.slackAtSendMs(o, START + 10_000)).isEqualTo(3_000.0);
        assertThat(RULE.slackAtSendMs(o, START + 12_900)).isEqualTo(100.0);
        assertThat(RULE.slackAtSendMs(o, START + 13_001)).as("late by the client: negative").isEqualTo(-1.0);
        assertThat(RULE.slackAtSendMs(e, START + 10_000)).as("the 240x clock's 120 s are 500 ms of wall time")
                .isEqualTo(500.0);
        assertThat(RULE.slackAtSendMs(e, START + 10_400)).isEqualTo(100.0);
    }

    @Test
    void shouldNameTheIdsSentWithLessSlackThanAskedByTheirEarliestCountingSend() {
        // a: sent with 2.9 s left, its duplicate later; b: 100 ms left; c: late by the client; d: never counted
        List<BenchEvent> stream = List.of(order("a", START, 0), order("b", START, 0), order("a", START, 0),
                order("c", START, 0), order("d", START, 0));
        Map<Integer, Long> sent = Map.of(0, START + 100, 1, START + 2_900, 2, START + 2_950, 3, START + 3_500);

        Set<String> below = RULE.sentWithSlackBelow(stream, Set.of("a", "b", "c", "d"),
                seq -> sent.getOrDefault(seq, ClientLateness.NO_SEND), 1_000);

        assertThat(below).as("a's first copy left 2.9 s; d's send is unknown").containsExactlyInAnyOrder("b", "c");
        assertThat(RULE.sentWithSlackBelow(stream, Set.of("a", "b", "c", "d"),
                seq -> sent.getOrDefault(seq, ClientLateness.NO_SEND), 0)).as("slack below 0: late by the client")
                .containsExactly("c");
    }

    /** Below zero slack is exactly the late-by-the-client rule, on both clocks. */
    @Property
    void slackBelowZeroIsLateByTheClient(@ForAll @LongRange(min = 0, max = 10_000) long sentAfterMs,
                                         @ForAll boolean isOrder) {
        long engagementTime = START - 7_200_000 + 10_000 * 240;
        BenchEvent e = isOrder ? order("p", START + 10_000, 10_000) : engagement("p", engagementTime, 10_000);
        long wire = START + 10_000 + sentAfterMs;

        assertThat(RULE.slackAtSendMs(e, wire) < 0).isEqualTo(RULE.lateByClient(e, wire));
    }

    /**
     * The reason the rule is sound: a stage's stream time never passes the wall clock at which the gateway publishes
     * (data event times lie in the past, idle advance moves by elapsed clock time). So an order on the wire within
     * its bound is on time against any stream time reached by then: a diversion of it needs a delay after the wire.
     */
    @Property
    void anOrderOnTheWireWithinItsBoundIsOnTimeAgainstAnyStreamTimeReachedByThen(
            @ForAll @LongRange(min = 0, max = 60_000) long eventOffsetMs,
            @ForAll @LongRange(min = 0, max = 3_000) long sentAfterMs,
            @ForAll @IntRange(min = 0, max = 60_000) int streamTimeBehindWireMs) {
        BenchEvent e = order("p", START + eventOffsetMs, eventOffsetMs);
        long wire = START + eventOffsetMs + sentAfterMs;
        long streamTime = wire - streamTimeBehindWireMs;

        assertThat(RULE.lateByClient(e, wire)).isFalse();
        assertThat(e.eventTimeMs() < streamTime - RULE.latenessMs(e)).as("the stage's rule").isFalse();
    }
}

package io.streamfleet.drills;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EventVerdictTest {

    private static final EventVerdict.Sent ON_TIME = new EventVerdict.Sent(true, true, false);
    private static final EventVerdict.Sent ACKED_LATE = new EventVerdict.Sent(true, false, false);
    private static final EventVerdict.Sent SENT_LATE = new EventVerdict.Sent(true, true, true);
    private static final EventVerdict.Sent UNACKED = new EventVerdict.Sent(false, false, false);

    @Test
    void shouldPassWhenEveryAcknowledgedEventIsOnceInACleanTopic() {
        EventVerdict v = EventVerdict.judge(Map.of("e1", ON_TIME, "e2", ON_TIME),
                Map.of("e1", List.of("orders.clean-0@1"), "e2", List.of("orders.clean-1@7")), Map.of(), 0);

        assertThat(v.problems()).isEmpty();
        assertThat(v.audit()).isEqualTo(new DrillResult.EventAudit(2, 2, 0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void shouldFailWhenAnEventAcknowledgedOnTimeIsOnlyInALateTopic() {
        // before progress records this was excused as KI-1; now it is a failure like any other
        EventVerdict v = EventVerdict.judge(Map.of("e1", ON_TIME),
                Map.of("e1", List.of("orders.late-2@5")), Map.of("e1", List.of("orders.late-2@5 by stream-processor")),
                0);

        assertThat(v.audit().lost()).isZero();
        assertThat(v.audit().divertedOnTime()).isEqualTo(1);
        assertThat(v.problems()).singleElement().asString()
                .contains("1 events acknowledged on time were diverted to a late topic")
                .contains("orders.late-2@5 by stream-processor");
    }

    @Test
    void shouldFailWhenADetectorDivertsAnOnTimeEventThatStreamProcessorPassedOn() {
        EventVerdict v = EventVerdict.judge(Map.of("e1", ON_TIME),
                Map.of("e1", List.of("orders.clean-0@3")), Map.of("e1", List.of("orders.cep.late-0@0 by cep-detector")),
                0);

        assertThat(v.audit().divertedOnTime()).isEqualTo(1);
        assertThat(v.problems()).hasSize(1);
    }

    @Test
    void shouldAcceptALateTopicForEventsSentLateOnPurposeOrAcknowledgedLate() {
        EventVerdict v = EventVerdict.judge(Map.of("late", SENT_LATE, "held", ACKED_LATE),
                Map.of("late", List.of("orders.late-0@1"), "held", List.of("orders.late-1@2")),
                Map.of("late", List.of("orders.late-0@1 by stream-processor"),
                        "held", List.of("orders.late-1@2 by stream-processor")), 0);

        assertThat(v.problems()).isEmpty();
        assertThat(v.audit().divertedAsSent()).isEqualTo(2);
        assertThat(v.audit().divertedOnTime()).isZero();
    }

    @Test
    void shouldCountLostAndDuplicatedAcknowledgedEventsButNotUnacknowledgedOnes() {
        EventVerdict v = EventVerdict.judge(Map.of("lost", ON_TIME, "twice", ACKED_LATE, "unacked", UNACKED,
                        "written", UNACKED),
                Map.of("twice", List.of("orders.clean-0@1", "orders.late-0@9"), "written", List.of("orders.clean-0@2")),
                Map.of("twice", List.of("orders.late-0@9 by stream-processor")), 150);

        assertThat(v.audit()).isEqualTo(new DrillResult.EventAudit(4, 2, 2, 150, 1, 1, 1, 1, 0));
        assertThat(v.problems()).hasSize(2);
        assertThat(v.problems().get(0)).startsWith("1 acknowledged events are in no clean topic").contains("lost");
        assertThat(v.problems().get(1)).startsWith("1 acknowledged events are in the clean/late topics more than once")
                .contains("twice [orders.clean-0@1, orders.late-0@9]");
    }

    @Test
    void shouldCountAnEngagementRetryPastTheDedupRetentionApartButKeepAnOrderRetryADuplicate() {
        EventVerdict.Sent engagementAckedLate = new EventVerdict.Sent(true, false, false, true);
        EventVerdict.Sent engagementOnTime = new EventVerdict.Sent(true, true, false, true);
        EventVerdict v = EventVerdict.judge(
                Map.of("retried", engagementAckedLate, "order", ACKED_LATE, "twiceClean", engagementAckedLate,
                        "onTime", engagementOnTime, "twiceLate", engagementAckedLate),
                Map.of("retried", List.of("engagement.clean-0@1", "engagement.late-0@9"),
                        "twiceLate", List.of("engagement.late-2@5", "engagement.late-2@8"),
                        "order", List.of("orders.clean-0@1", "orders.late-0@9"),
                        "twiceClean", List.of("engagement.clean-0@2", "engagement.clean-0@3"),
                        "onTime", List.of("engagement.clean-1@1", "engagement.late-1@4")),
                Map.of("retried", List.of("engagement.late-0@9 by stream-processor"),
                        "order", List.of("orders.late-0@9 by stream-processor"),
                        "onTime", List.of("engagement.late-1@4 by stream-processor")), 0);

        assertThat(v.audit().retriedPastDedupRetention()).isEqualTo(2);
        assertThat(v.audit().duplicated()).as("the order, the engagement event twice clean, the on-time one")
                .isEqualTo(3);
    }

    @Test
    void shouldFailWhenALateTopicHoldsAnEventOfTheRunThatWasNeverSent() {
        EventVerdict v = EventVerdict.judge(Map.of(), Map.of(), Map.of("ghost", List.of("orders.late-0@0 by x")), 0);

        assertThat(v.problems()).singleElement().asString().contains("never sent by the drill");
    }
}

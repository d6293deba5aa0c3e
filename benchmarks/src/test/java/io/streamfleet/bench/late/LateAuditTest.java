package io.streamfleet.bench.late;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class LateAuditTest {

    @Test
    void shouldCountNothingWrongWhenEveryIntendedLateEventIsDivertedOnce() {
        LateAudit audit = LateAudit.of(Set.of("r-1", "r-2"), topics(List.of("r-2", "r-1"), List.of()), "");

        assertThat(audit.intended()).isEqualTo(2);
        assertThat(audit.missing()).isZero();
        assertThat(audit.unexpected()).isZero();
        assertThat(audit.extraCopies()).isZero();
        assertThat(audit.topics().get(0).asIntended()).isEqualTo(2);
    }

    @Test
    void shouldReportOnTimeEventsInALateTopicAsUnexpectedWithExamples() {
        LateAudit audit = LateAudit.of(Set.of("r-1"), topics(List.of("r-1", "r-7"), List.of("r-9")), "");

        assertThat(audit.unexpected()).isEqualTo(2);
        assertThat(audit.topics().get(0).unexpectedSample()).containsExactly("r-7");
        assertThat(audit.topics().get(1).unexpectedSample()).containsExactly("r-9");
        assertThat(audit.missing()).isZero();
    }

    @Test
    void shouldReportIntendedLateEventsFoundInNoTopicAsMissing() {
        LateAudit audit = LateAudit.of(Set.of("r-1", "r-2", "r-3"), topics(List.of("r-2"), List.of()), "");

        assertThat(audit.missing()).isEqualTo(2);
        assertThat(audit.missingSample()).containsExactly("r-1", "r-3");
    }

    @Test
    void shouldCountSecondCopiesOfTheSameEventAsExtra() {
        LateAudit audit = LateAudit.of(Set.of("r-1"), topics(List.of("r-1", "r-1", "r-1"), List.of()), "");

        assertThat(audit.extraCopies()).isEqualTo(2);
        assertThat(audit.topics().get(0).records()).isEqualTo(3);
        assertThat(audit.topics().get(0).asIntended()).isEqualTo(1);
    }

    @Test
    void shouldCountAnEventDivertedAtTwoStagesInEachTopicButMissingNowhere() {
        LateAudit audit = LateAudit.of(Set.of("r-1"), topics(List.of("r-1"), List.of("r-1")), "");

        assertThat(audit.missing()).isZero();
        assertThat(audit.topics()).extracting(LateAudit.TopicTally::asIntended).containsExactly(1L, 1L);
    }

    @Test
    void shouldSplitUnexpectedEventsIntoLateByTheClientAndOnTimeDivertedByTheFleet() {
        // r-7 and r-8 left the driver beyond their bound; r-9 and r-10 within it
        Set<String> sentLate = Set.of("r-7", "r-8");
        LateAudit audit = LateAudit.of(Set.of("r-1"), topics(List.of("r-1", "r-7", "r-9", "r-10"),
                List.of("r-8")), sentLate::contains, "");

        assertThat(audit.unexpected()).isEqualTo(4);
        assertThat(audit.lateByClient()).isEqualTo(2);
        assertThat(audit.onTimeDiverted()).as("only these count against the fleet").isEqualTo(2);
        LateAudit.TopicTally orders = audit.topics().get(0);
        assertThat(orders.lateByClient()).isEqualTo(1);
        assertThat(orders.onTimeDiverted()).isEqualTo(2);
        assertThat(orders.onTimeSample()).containsExactly("r-10", "r-9");
        assertThat(audit.topics().get(1).lateByClient()).isEqualTo(1);
        assertThat(audit.topics().get(1).onTimeDiverted()).isZero();
    }

    @Test
    void shouldSetApartTheOnTimeDivertedEventsThatLeftTheDriverShortOfSlack() {
        // r-7 late by the client (and short of slack: never counted twice); r-9 short of slack; r-10 with slack
        Set<String> sentLate = Set.of("r-7");
        Set<String> shortOfSlack = Set.of("r-7", "r-9");
        LateAudit audit = LateAudit.of(Set.of("r-1"), topics(List.of("r-1", "r-7", "r-9", "r-10"), List.of()),
                sentLate::contains, shortOfSlack::contains, "");

        assertThat(audit.onTimeDiverted()).isEqualTo(2);
        assertThat(audit.shortOfSlack()).as("only on-time diverted events are judged for slack").isEqualTo(1);
        assertThat(audit.divertedWithSlack()).isEqualTo(1);
        assertThat(audit.topics().get(0).shortOfSlack()).isEqualTo(1);
        assertThat(audit.topics().get(1).shortOfSlack()).isZero();
    }

    @Test
    void shouldCountEveryUnexpectedEventAgainstTheFleetWhenNoSendTimesAreKnown() {
        LateAudit audit = LateAudit.of(Set.of(), topics(List.of("r-7"), List.of()), "");

        assertThat(audit.onTimeDiverted()).isEqualTo(1);
        assertThat(audit.lateByClient()).isZero();
    }

    private static Map<String, List<String>> topics(List<String> orders, List<String> cep) {
        Map<String, List<String>> ids = new LinkedHashMap<>();
        ids.put("orders.late", orders);
        ids.put("orders.cep.late", cep);
        return ids;
    }
}

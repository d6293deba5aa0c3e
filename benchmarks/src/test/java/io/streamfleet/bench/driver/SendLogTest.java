package io.streamfleet.bench.driver;

import io.streamfleet.bench.late.ClientLateness;
import io.streamfleet.bench.report.Percentiles;
import io.streamfleet.bench.scenario.BenchEvent;
import io.streamfleet.bench.scenario.EventTag;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.EngagementEventType;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

class SendLogTest {

    private static final long START = 1_790_000_000_000L;
    private static final ClientLateness RULE = new ClientLateness(START, 3_000, START - 7_200_000, 240, 120_000);

    private static BenchEvent order(String id, long offsetMs, EventTag tag) {
        // an intended late event carries an event time well beyond the bound, as the scenario's do
        long eventTime = START + offsetMs - (tag == EventTag.LATE ? 5_000 : 0);
        return BenchEvent.order(TimeUnit.MILLISECONDS.toNanos(offsetMs), new OrderEvent(id, "acct", "AAPL",
                OrderEventType.CREATED, "o-" + id, Side.BUY, 101.25, 10, eventTime), tag, null);
    }

    private static BenchEvent engagement(String id, long offsetMs) {
        return BenchEvent.engagement(TimeUnit.MILLISECONDS.toNanos(offsetMs), new EngagementEvent(id, "u-1", "c-1",
                EngagementEventType.CLICK, START - 7_200_000 + offsetMs * 240, 0, false), EventTag.NOISE, null);
    }

    private static SendResult overloaded(int events) {
        return new SendResult(events, 0, "503-overloaded", null, SendResult.Resend.all(events, 1_000, "overloaded"));
    }

    @Test
    void shouldNameTheEventsNoAttemptOfWhichMayHaveReachedKafkaOverAllTheirCopies() {
        // 0 a refused; 1 b refused, 2 its copy accepted; 3 c timed out (may be in Kafka); 4 d never sent
        List<BenchEvent> stream = List.of(order("a", 0, EventTag.LATE), order("b", 0, EventTag.LATE),
                order("b", 10, EventTag.LATE), order("c", 0, EventTag.LATE), order("d", 0, EventTag.LATE));
        SendLog log = new SendLog(RULE);
        log.attempt(stream.subList(0, 2), new int[] {0, 1}, overloaded(2), START + 100, true);
        log.attempt(stream.subList(2, 3), new int[] {2}, new SendResult(1, 1, "202"), START + 150, true);
        log.attempt(stream.subList(3, 4), new int[] {3}, SendResult.failed(1, new java.util.concurrent
                .TimeoutException("no answer")), START + 200, true);

        assertThat(log.neverReachedKafka(stream, java.util.Set.of("a", "b", "c", "d")))
                .containsExactlyInAnyOrder("a", "d");
    }

    @Test
    void shouldTimeAnEventAcceptedOnAResendByThatResendNotByTheRefusedAttempt() {
        SendLog log = new SendLog(RULE);
        List<BenchEvent> one = List.of(order("a", 1_000, EventTag.NOISE));

        log.attempt(one, new int[] {0}, overloaded(1), START + 1_200, true);
        assertThat(log.sentMs(0)).as("refused unsent: nothing of it reached Kafka").isEqualTo(SendLog.NONE);
        log.attempt(one, new int[] {0}, new SendResult(1, 1, "202"), START + 5_000, false);

        assertThat(log.sentMs(0)).isEqualTo(START + 5_000);
        assertThat(log.backlog().ordersLateByClient()).as("4 s after its event time, beyond 3 s").isEqualTo(1);
        assertThat(log.backlog().events()).as("the backlog counts first attempts only").isEqualTo(1);
        assertThat(Percentiles.of(log.backlog().delayMicros()).maxMs()).isCloseTo(200, offset(0.5));
    }

    @Test
    void shouldKeepTheFirstAttemptThatMayHaveReachedKafkaWhenALaterResendIsAccepted() {
        SendLog log = new SendLog(RULE);
        List<BenchEvent> one = List.of(order("a", 1_000, EventTag.NOISE));
        SendResult timedOut = new SendResult(1, 0, "503-unavailable", null,
                SendResult.Resend.all(1, 1_000, "timeout"));

        log.attempt(one, new int[] {0}, timedOut, START + 1_100, true);
        log.attempt(one, new int[] {0}, new SendResult(1, 1, "202"), START + 9_000, false);

        assertThat(log.sentMs(0)).as("a timed-out publish may be the copy in Kafka").isEqualTo(START + 1_100);
        assertThat(log.backlog().ordersLateByClient()).isZero();
    }

    @Test
    void shouldNotTimeARequestThatNeverReachedTheWire() {
        SendLog log = new SendLog(RULE);
        List<BenchEvent> one = List.of(order("a", 1_000, EventTag.NOISE));

        log.attempt(one, new int[] {0}, SendResult.failed(1, new java.util.concurrent.TimeoutException("no "
                + "connection")).withWireMs(SendResult.NOT_SENT), SendResult.NOT_SENT, true);

        assertThat(log.sentMs(0)).isEqualTo(SendLog.NONE);
        assertThat(log.backlog().notOnWire()).isEqualTo(1);
        assertThat(log.backlog().events()).isZero();
    }

    @Test
    void shouldCountEventsBehindTheirBoundOnTheirOwnClockAndLeaveIntendedLateOnesOut() {
        SendLog log = new SendLog(RULE);
        // one request of 4 events scheduled at 1 s, on the wire 2 s later: the orders are within 3 s, the
        // engagement event (0.5 s of wall time on its 240x clock) is not; the intended late order is not counted
        BenchEvent intendedLate = order("late", 1_000, EventTag.LATE);
        List<BenchEvent> batch = List.of(order("a", 1_000, EventTag.NOISE), order("b", 1_000, EventTag.NOISE),
                engagement("c", 1_000), intendedLate);
        log.attempt(batch, new int[] {0, 1, 2, 3}, new SendResult(4, 4, "202"), START + 3_000, true);
        // the scenario's duplicate of an intended late event is late by design too, not by the driver
        log.attempt(List.of(intendedLate.resentAt(TimeUnit.MILLISECONDS.toNanos(1_200), EventTag.DUPLICATE)),
                new int[] {5}, new SendResult(1, 1, "202"), START + 1_300, true);
        log.attempt(List.of(order("d", 2_000, EventTag.NOISE)), new int[] {4}, new SendResult(1, 1, "202"),
                START + 7_000, true);

        SendLog.Backlog b = log.backlog();
        assertThat(b.events()).isEqualTo(6);
        assertThat(b.ordersBehindBound()).as("d: 5 s behind schedule").isEqualTo(1);
        assertThat(b.engagementBehindBound()).isEqualTo(1);
        assertThat(b.ordersLateByClient()).isEqualTo(1);
        assertThat(b.engagementLateByClient()).isEqualTo(1);
        assertThat(b.maxBehindMs()).isEqualTo(5_000);
        assertThat(Percentiles.of(b.delayMicros()).p50Ms()).isCloseTo(2_000, offset(2.0));
        assertThat(log.sentMs(2)).isEqualTo(START + 3_000);
        assertThat(log.sentMs(4)).isEqualTo(START + 7_000);
        assertThat(log.sentMs(70_000)).as("a position far past any sent").isEqualTo(SendLog.NONE);
    }

    @Test
    void shouldTellWhatMayHaveReachedKafkaFromTheAnswer() {
        SendResult mixed = new SendResult(3, 1, "207", List.of(0), new SendResult.Resend(List.of(1), 1_000,
                "timeout"));

        assertThat(mixed.mayHaveReachedKafka(0)).as("accepted").isTrue();
        assertThat(mixed.mayHaveReachedKafka(1)).as("timed out: may be in Kafka").isTrue();
        assertThat(mixed.mayHaveReachedKafka(2)).as("a 207's rejected item").isFalse();
        assertThat(overloaded(1).mayHaveReachedKafka(0)).isFalse();
        assertThat(new SendResult(1, 0, "429-rate-limited", null, SendResult.Resend.all(1, 1_000, "rate_limited"))
                .mayHaveReachedKafka(0)).isFalse();
        assertThat(new SendResult(1, 0, "400").mayHaveReachedKafka(0)).isFalse();
        assertThat(SendResult.failed(1, new java.io.IOException("reset")).mayHaveReachedKafka(0))
                .as("a broken connection after the write").isTrue();
        assertThat(SendResult.failed(1, new java.io.IOException("x")).withWireMs(SendResult.NOT_SENT)
                .mayHaveReachedKafka(0)).isFalse();
    }
}

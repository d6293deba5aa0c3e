package io.streamfleet.gateway.publishing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.gateway.admission.AdmissionControl;
import io.streamfleet.gateway.admission.AdmissionLimits;
import io.streamfleet.gateway.intake.EventIntake;
import io.streamfleet.gateway.intake.EventKind;
import io.streamfleet.gateway.intake.IntakeItem;
import io.streamfleet.gateway.intake.IntakeLimits;
import io.streamfleet.gateway.intake.IntakeOutcome;
import io.streamfleet.gateway.intake.BodyFormat;
import io.streamfleet.gateway.intake.PublishFailure;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.streamfleet.gateway.intake.Bodies.order;
import static org.assertj.core.api.Assertions.assertThat;

/** The admission rule in front of the sink: refused publishes never reach it; admitted ones hold until answered. */
class AdmittingEventSinkTest {

    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final AdmissionControl admission = new AdmissionControl(
            new AdmissionLimits(Duration.ofMillis(200), 1_000, Duration.ofSeconds(1)), nanos::get);
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final GatewayMetrics metrics = new GatewayMetrics(registry);

    /** Kafka that answers when the test says so. */
    final Sinks.One<List<SendOutcome>> answer = Sinks.one();
    final AtomicInteger calls = new AtomicInteger();
    final EventSink kafka = (events, by, at) -> {
        calls.incrementAndGet();
        return answer.asMono();
    };
    final AdmittingEventSink sink = new AdmittingEventSink(kafka, admission, metrics);

    private static List<IntakeItem.Valid> events(int n) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < n; i++) {
            body.append(order("e-" + i, "acc", "AAPL", System.currentTimeMillis())).append('\n');
        }
        IntakeOutcome outcome = new EventIntake(new IntakeLimits(65_536, 100, 8, 512, 300_000))
                .read(body.toString().getBytes(), BodyFormat.NDJSON, EventKind.ORDER, System.currentTimeMillis());
        return ((IntakeOutcome.Batch) outcome).valid();
    }

    @Test
    void shouldHoldTheTicketUntilKafkaAnswersAndTimeTheHold() {
        List<SendOutcome> got = new java.util.ArrayList<>();
        sink.send(events(2), "k", 0).subscribe(got::addAll);
        assertThat(admission.inFlightEvents()).isEqualTo(2);
        nanos.addAndGet(150_000_000L);
        assertThat(admission.oldestAgeMillis()).isEqualTo(150);

        answer.tryEmitValue(List.of(SendOutcome.acked("t", 0, 1), SendOutcome.acked("t", 0, 2)));

        assertThat(got).hasSize(2).allMatch(SendOutcome::acked);
        assertThat(admission.inFlightEvents()).isZero();
        assertThat(registry.get("streamfleet.gateway.admission.hold").tag("outcome", "acked").timer()
                .max(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(150.0);
    }

    @Test
    void shouldAnswerOverloadedWithoutCallingKafkaOnceTheOldestHoldIsHalfOfMaxHold() {
        sink.send(events(1), "k", 0).subscribe();
        nanos.addAndGet(100_000_000L);

        List<SendOutcome> refused = sink.send(events(3), "k", 0).block(Duration.ofSeconds(1));

        assertThat(refused).hasSize(3).extracting(SendOutcome::failure).containsOnly(PublishFailure.OVERLOADED);
        assertThat(calls).as("the refused publish never reached Kafka").hasValue(1);
        assertThat(registry.get("streamfleet.gateway.admission.refused").tag("reason", "hold_age").counter().count())
                .isEqualTo(1.0);
        assertThat(admission.inFlightEvents()).as("a refusal holds nothing").isEqualTo(1);
    }

    @Test
    void shouldReleaseTheTicketWhenTheCallerGivesUp() {
        Disposable subscription = sink.send(events(4), "k", 0).subscribe();
        assertThat(admission.inFlightEvents()).isEqualTo(4);
        subscription.dispose();
        assertThat(admission.inFlightEvents()).isZero();
        assertThat(sink.send(List.of(), "k", 0).block()).isEmpty();
    }

    @Test
    void shouldExposeEveryRefusalReasonAtZeroBeforeAnyRefusal() {
        metrics.admission(admission);

        assertThat(registry.get("streamfleet.gateway.admission.refused").counters())
                .extracting(counter -> counter.getId().getTag("reason"))
                .containsExactlyInAnyOrder("request_age", "hold_age", "in_flight_events");
        assertThat(registry.get("streamfleet.gateway.admission.refused").counters())
                .allSatisfy(counter -> assertThat(counter.count()).isZero());
    }
}

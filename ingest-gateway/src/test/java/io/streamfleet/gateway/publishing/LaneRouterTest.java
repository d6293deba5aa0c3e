package io.streamfleet.gateway.publishing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.gateway.intake.BodyFormat;
import io.streamfleet.gateway.intake.EventIntake;
import io.streamfleet.gateway.intake.EventKind;
import io.streamfleet.gateway.intake.IntakeItem;
import io.streamfleet.gateway.intake.IntakeLimits;
import org.junit.jupiter.api.Test;
import reactor.util.context.Context;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which producer a publish takes: HTTP requests' lone events the one that does not linger, everything else not. */
class LaneRouterTest {

    final RecordingSink batches = new RecordingSink();
    final RecordingSink singleEvents = new RecordingSink();
    final LaneRouter router = new LaneRouter(batches, singleEvents);

    static List<IntakeItem.Valid> one(String id) {
        return List.of(new IntakeItem.Valid(0, id, EventKind.ORDER, "acc|AAPL", new byte[] {'{', '}'}, 1L));
    }

    @Test
    void shouldSendThroughTheLaneTheContextNamesAndThroughBatchesWhenItNamesNone() {
        router.send(one("s-1"), "writer", 1L).contextWrite(Context.of(EventSink.LANE, PublishLane.SINGLE_EVENTS))
                .block();
        router.send(one("b-1"), "writer", 1L).block();
        router.send(one("b-2"), "writer", 1L).contextWrite(Context.of(EventSink.LANE, PublishLane.BATCHES)).block();

        assertThat(singleEvents.received).extracting(IntakeItem.Valid::eventId).containsExactly("s-1");
        assertThat(batches.received).extracting(IntakeItem.Valid::eventId).containsExactly("b-1", "b-2");
    }

    @Test
    void shouldGiveOnlyAnHttpRequestsLoneEventTheSingleEventLane() {
        assertThat(IngestService.laneFor(1, GatewayMetrics.HTTP)).isEqualTo(PublishLane.SINGLE_EVENTS);
        assertThat(IngestService.laneFor(2, GatewayMetrics.HTTP)).isEqualTo(PublishLane.BATCHES);
        // a socket's messages keep one producer, so Kafka keeps them in the order they arrived
        assertThat(IngestService.laneFor(1, GatewayMetrics.WEBSOCKET)).isEqualTo(PublishLane.BATCHES);
    }

    @Test
    void shouldKeepAWebSocketMessagesLoneEventOnTheBatchingProducer() {
        RecordingSink sink = new RecordingSink();
        IngestService service = new IngestService(new EventIntake(new IntakeLimits(2048, 3, 8, 512, 300_000)), sink,
                new GatewayMetrics(new SimpleMeterRegistry()),
                new RetryAfterPolicy(Duration.ofSeconds(5), Duration.ofSeconds(1)), Clock.systemUTC());
        String event = "{\"kind\":\"order\",\"eventId\":\"w-1\",\"accountId\":\"acc\",\"symbol\":\"AAPL\","
                + "\"eventType\":\"CREATED\",\"orderId\":\"o-1\",\"side\":\"BUY\",\"price\":10.5,\"qty\":100,"
                + "\"eventTimeMs\":" + System.currentTimeMillis() + "}";

        IngestReport overSocket = service.ingest(event.getBytes(), BodyFormat.NDJSON, null, "writer",
                GatewayMetrics.WEBSOCKET).block();
        IngestReport overHttp = service.ingest(event.getBytes(), BodyFormat.JSON, null, "writer",
                GatewayMetrics.HTTP).block();

        assertThat(overSocket.status()).isEqualTo(202);
        assertThat(overHttp.status()).isEqualTo(202);
        assertThat(sink.lanes).containsExactly(PublishLane.BATCHES, PublishLane.SINGLE_EVENTS);
    }
}

package io.streamfleet.alerts.feed;

import io.streamfleet.support.kafka.KafkaClients;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.alerts.TestAlerts;
import io.streamfleet.alerts.alert.AlertFilter;
import io.streamfleet.alerts.feed.position.PartitionKey;
import io.streamfleet.alerts.feed.position.PositionCodec;
import io.streamfleet.alerts.feed.position.PositionVector;
import io.streamfleet.alerts.intake.AlertDecoder;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.SignalType;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live side of the feed without Kafka: a client resuming exactly at the hub's position needs no catch-up read, so
 * the stream is the hub's records only. Shows the per-client bound: a client that stops requesting is cut off as soon
 * as its buffer is full, without the server waiting for it to drain.
 */
class AlertFeedTest {

    private static final String TOPIC = "alerts.anomaly";
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AlertHub hub = new AlertHub();
    private final AlertFeed feed = feed(Duration.ofHours(1));

    /** A feed on this test's hub whose catch-up reader is never used (clients resume at the hub's position). */
    private AlertFeed feed(Duration heartbeat) {
        return new AlertFeed(hub, new CatchUpReader(KafkaClients.forBootstrapServers("unused:9092"),
                new AlertDecoder(TOPIC, "alerts.engagement", registry), Duration.ofSeconds(1)), null,
                new FeedSettings(heartbeat, Duration.ofSeconds(3), 10, Duration.ofSeconds(1)),
                new FeedMetrics(registry));
    }

    @Test
    void shouldEndTheStreamAtOnceWhenAClientStopsReadingAndItsBufferOverflows() {
        hub.onAssigned(Map.of(new TopicPartition(TOPIC, 0), 0L));
        Client client = new Client(3);
        feed.open(AlertFilter.ALL, PositionVector.of(Map.of(new PartitionKey(TOPIC, 0), 0L))).subscribe(client);
        assertThat(hub.sessionCount()).isEqualTo(1);

        for (int offset = 0; offset < 100; offset++) {
            hub.onRecord(TOPIC, 0, offset, TestAlerts.feed(TestAlerts.anomaly("a-" + offset, "acc", "AAPL", 1000L + offset),
                    TOPIC, 0, offset));
        }

        assertThat(client.ended.get()).isEqualTo(SignalType.ON_COMPLETE);
        assertThat(hub.sessionCount()).isZero();
        assertThat(client.events).hasSize(3);
        assertThat(registry.get("streamfleet.alerts.sse.disconnects").tag("reason", "overflow").counter().count())
                .isEqualTo(1);
        String lastId = client.events.get(2).id();
        assertThat(PositionCodec.decode(lastId).nextOffset(new PartitionKey(TOPIC, 0)))
                .as("the last received event's id resumes right after it").isEqualTo(2);
    }

    @Test
    void shouldDeliverEveryLiveRecordInOrderWithItsPositionWhenTheClientKeepsUp() {
        hub.onAssigned(Map.of(new TopicPartition(TOPIC, 0), 5L));
        Client client = new Client(Long.MAX_VALUE);
        feed.open(AlertFilter.parse(null, "wanted", null, null),
                PositionVector.of(Map.of(new PartitionKey(TOPIC, 0), 5L))).subscribe(client);
        for (int offset = 5; offset < 25; offset++) {
            String account = offset % 2 == 0 ? "wanted" : "other";
            hub.onRecord(TOPIC, 0, offset, TestAlerts.feed(TestAlerts.anomaly("a-" + offset, account, "AAPL", offset),
                    TOPIC, 0, offset));
        }
        assertThat(client.ended.get()).isNull();
        assertThat(client.events.stream().skip(1).map(e -> PositionCodec.decode(e.id())
                .nextOffset(new PartitionKey(TOPIC, 0))).toList())
                .containsExactly(7L, 9L, 11L, 13L, 15L, 17L, 19L, 21L, 23L, 25L);
        client.dispose();
        assertThat(hub.sessionCount()).isZero();
    }

    @Test
    void shouldEndEveryStreamAtOnceWithItsLastIdUsableWhenTheServiceShutsDown() {
        hub.onAssigned(Map.of(new TopicPartition(TOPIC, 0), 0L));
        Client reading = new Client(Long.MAX_VALUE);
        Client stuck = new Client(1);
        PositionVector start = PositionVector.of(Map.of(new PartitionKey(TOPIC, 0), 0L));
        feed.open(AlertFilter.ALL, start).subscribe(reading);
        feed.open(AlertFilter.ALL, start).subscribe(stuck);
        hub.onRecord(TOPIC, 0, 0, TestAlerts.feed(TestAlerts.anomaly("a-0", "acc", "AAPL", 1000L), TOPIC, 0, 0));

        hub.shutDown();

        assertThat(reading.ended.get()).isEqualTo(SignalType.ON_COMPLETE);
        assertThat(stuck.ended.get()).as("queued events are not waited for").isEqualTo(SignalType.ON_COMPLETE);
        assertThat(hub.sessionCount()).isZero();
        assertThat(PositionCodec.decode(reading.events.get(1).id()).nextOffset(new PartitionKey(TOPIC, 0)))
                .as("the last event's id resumes right after it").isEqualTo(1);
        assertThat(registry.get("streamfleet.alerts.sse.disconnects").tag("reason", "shutdown").counter().count())
                .isEqualTo(2);

        Client late = new Client(Long.MAX_VALUE);
        feed.open(AlertFilter.ALL, start).subscribe(late);
        assertThat(late.ended.get()).as("a stream opened while stopping ends at once").isEqualTo(SignalType.ON_COMPLETE);
        assertThat(hub.sessionCount()).isZero();
    }

    @Test
    void shouldKeepTheStreamOpenWhenHeartbeatsFallDueWhileTheClientReadsSlowly() throws InterruptedException {
        AlertFeed fastBeats = feed(Duration.ofMillis(5));
        hub.onAssigned(Map.of(new TopicPartition(TOPIC, 0), 0L));
        Client slow = new Client(1);
        fastBeats.open(AlertFilter.ALL, PositionVector.of(Map.of(new PartitionKey(TOPIC, 0), 0L))).subscribe(slow);

        Thread.sleep(500); // 100 heartbeats fall due while the client asks for nothing (the merge queues 32)

        assertThat(slow.ended.get()).as("the stream did not fail or end").isNull();
        assertThat(hub.sessionCount()).isEqualTo(1);
        slow.request(Long.MAX_VALUE);
        hub.onRecord(TOPIC, 0, 0, TestAlerts.feed(TestAlerts.anomaly("a-0", "acc", "AAPL", 1000L), TOPIC, 0, 0));
        assertThat(slow.events.stream().filter(e -> e.data() != null)).as("the alert, after the queued heartbeats")
                .hasSize(1);
        assertThat(slow.ended.get()).isNull();
        slow.dispose();
    }

    /** Requests a fixed number of events, then nothing more (a client that stopped reading). */
    private static final class Client extends BaseSubscriber<ServerSentEvent<String>> {
        private final long demand;
        private final List<ServerSentEvent<String>> events = new CopyOnWriteArrayList<>();
        private final AtomicReference<SignalType> ended = new AtomicReference<>();

        Client(long demand) {
            this.demand = demand;
        }

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            subscription.request(demand);
        }

        @Override
        protected void hookOnNext(ServerSentEvent<String> event) {
            events.add(event);
        }

        @Override
        protected void hookFinally(SignalType type) {
            if (type != SignalType.CANCEL) {
                ended.set(type);
            }
        }
    }
}

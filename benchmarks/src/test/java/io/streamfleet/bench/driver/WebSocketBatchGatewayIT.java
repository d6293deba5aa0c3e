package io.streamfleet.bench.driver;

import io.streamfleet.bench.late.LateTopicReader;
import io.streamfleet.bench.scenario.BenchEvent;
import io.streamfleet.bench.scenario.EventTag;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;
import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.launcher.DevApiKey;
import io.streamfleet.launcher.Fleet;
import io.streamfleet.launcher.FleetLayout;
import io.streamfleet.launcher.broker.TopicSetup;
import io.streamfleet.launcher.process.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The WebSocket driver with NDJSON batches against the real gateway and a real broker (the packaged ingest-gateway and
 * a broker started by the launcher on free ports, as {@code OwnGatewayFleet} does): every event of every message is
 * acked and counted on its own ack (a cold gateway refuses some as overloaded, and only those events are sent again),
 * and each is in {@code orders.raw} exactly once; a message the gateway refuses as a whole (more events
 * than {@code max-batch-events}) gets one ack, counts all its events as not accepted and does not put the acks of the
 * next message on the same socket out of step. Skipped when the gateway jar is not built.
 */
class WebSocketBatchGatewayIT {

    @TempDir
    Path fleetDir;

    private Fleet fleet;
    private final ByteArrayOutputStream fleetOutput = new ByteArrayOutputStream();

    @AfterEach
    void stopFleet() {
        if (fleet != null) {
            fleet.down();
        }
    }

    private static List<BenchEvent> orders(String prefix, int count) {
        List<BenchEvent> events = new ArrayList<>(count);
        long now = System.currentTimeMillis();
        for (int i = 0; i < count; i++) {
            OrderEvent e = new OrderEvent(prefix + "-" + i, "acc-" + i % 100, "SYM" + i % 50, OrderEventType.CREATED,
                    "o-" + i, i % 2 == 0 ? Side.BUY : Side.SELL, 100 + i % 50, 1 + i % 500, now);
            events.add(BenchEvent.order(0, e, EventTag.NOISE, "l-" + i));
        }
        return events;
    }

    @Test
    void shouldHaveEveryEventOfEveryBatchedMessageAckedOnceAndInKafkaOnce() {
        Path repo = Path.of(System.getProperty("bench.fleet.repo", "..")).toAbsolutePath().normalize();
        FleetLayout layout = FleetLayout.defaults(repo).withFleetDir(fleetDir)
                .withPorts(Ports.freePort(), Ports.freePort());
        assumeTrue(Files.exists(repo.resolve(layout.service(Fleet.GATEWAY).jarPath())), "ingest-gateway not built");
        fleet = new Fleet(layout, new PrintStream(fleetOutput, true, StandardCharsets.UTF_8));
        fleet.startBroker();
        TopicSetup.ensureTopics(layout.bootstrapServers());
        String key = DevApiKey.loadOrCreate(layout.devKeyFile());
        fleet.startService(Fleet.GATEWAY, false);
        String url = "http://localhost:" + layout.service(Fleet.GATEWAY).port();
        String run = "wsb" + Long.toString(System.currentTimeMillis(), 36);

        // 2 000 events in messages of 50 over 2 sockets
        List<BenchEvent> events = orders(run + "-m", 2_000);
        LoadStats stats = new LoadStats();
        List<BenchEvent> refusedMessage = orders(run + "-x", 1_001);
        SendResult refused;
        SendResult afterRefusal;
        try (WebSocketTransport transport = new WebSocketTransport(url, key, 2, 50, Duration.ofSeconds(10))) {
            // open loop, all due at once, 8 messages in flight: a cold gateway refuses some as overloaded (each event
            // acked unavailable with retryAfterMs, none of it sent to Kafka), and those events go again
            new LoadRunner(transport, stats, 8, 10).openLoop(events.iterator(), System.nanoTime(), () -> false,
                    Duration.ofSeconds(60));
            // one socket gets both: the refused message, then one that must still be answered event by event
            var first = transport.send(refusedMessage);
            transport.send(orders(run + "-y", 1)).join(); // the other socket
            var second = transport.send(orders(run + "-z", 3));
            refused = first.join();
            afterRefusal = second.join();
        }

        String console = fleetOutput.toString(StandardCharsets.UTF_8);
        assertThat(stats.sentEvents()).isEqualTo(2_000);
        assertThat(stats.acceptedEvents()).as(stats.outcomes() + " " + stats.retries() + console).isEqualTo(2_000);
        assertThat(stats.requests()).isEqualTo(40);
        assertThat(stats.outcomes().keySet()).as(stats.outcomes().toString())
                .containsAnyOf("ack").isSubsetOf("ack", "ws-mixed", "ws-unavailable-overloaded");
        LoadStats.Retries retries = stats.retries();
        assertThat(retries.refusedEvents().keySet()).isSubsetOf("overloaded");
        assertThat(retries.resentEvents()).isEqualTo(retries.refusedEvents().getOrDefault("overloaded", 0L));
        assertThat(retries.givenUp()).isZero();
        assertThat(stats.notAcceptedIds()).isEmpty();
        assertThat(stats.labelledAckMs()).hasSize(2_000);
        assertThat(refused.withWireMs(SendResult.WIRE_UNKNOWN))
                .isEqualTo(new SendResult(1_001, 0, "ws-message-rejected-batch_too_large"));
        assertThat(afterRefusal.withWireMs(SendResult.WIRE_UNKNOWN)).isEqualTo(new SendResult(3, 3, "ack"));
        assertThat(afterRefusal.wireMs()).as("each message carries when it went to the socket")
                .isGreaterThanOrEqualTo(refused.wireMs()).isPositive();

        List<String> problems = new ArrayList<>();
        Map<String, List<String>> read = new LateTopicReader(layout.bootstrapServers(), Duration.ofSeconds(30))
                .read(List.of(Topics.ORDERS_RAW.name()), run, problems);
        // the gateway's progress marks (no eventId) share the topic; anything else is a problem
        assertThat(problems).allMatch(p -> p.endsWith("record(s) without a readable eventId"), "progress marks only");
        List<String> inKafka = read.get(Topics.ORDERS_RAW.name());
        Map<String, Long> copies = inKafka.stream().collect(Collectors.groupingBy(Function.identity(),
                Collectors.counting()));
        Set<String> sent = new HashSet<>(events.stream().map(BenchEvent::eventId).toList());
        assertThat(copies.keySet()).containsAll(sent);
        // refused as overloaded means never sent to Kafka: the resends cannot have made a second copy
        assertThat(copies).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
        assertThat(copies.keySet()).noneMatch(id -> id.startsWith(run + "-x-"));
        assertThat(copies.keySet()).contains(run + "-z-0", run + "-z-1", run + "-z-2");
    }
}

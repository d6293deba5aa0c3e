package io.streamfleet.processor;

import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.processor.support.Events;
import io.streamfleet.testkit.kafka.TopicProbe;
import io.streamfleet.testkit.kafka.WithKafkaBroker;
import io.streamfleet.testkit.process.ServiceProcess;
import io.streamfleet.testkit.process.ServiceProcesses;
import io.streamfleet.testkit.process.StreamsServiceJar;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged service against the real broker: raw → clean with duplicates removed; SIGKILL mid-stream and a
 * restart on an empty state directory (so the dedup store must come back from its changelog); events seen before the
 * crash and sent again are still dropped; {@code orders.clean} (read_committed) holds every event exactly once.
 */
@WithKafkaBroker
class ExactlyOnceRestartIT {

    private static final Path JAR = Path.of("target", "stream-processor-exec.jar");
    private static final Duration READY = Duration.ofSeconds(90);
    private final String runId = UUID.randomUUID().toString().substring(0, 8);

    @RegisterExtension
    final ServiceProcesses processes = new ServiceProcesses();

    @TempDir
    Path firstStateDir;

    @TempDir
    Path secondStateDir;

    @Test
    void shouldKeepEveryEventExactlyOnceInCleanWhenKilledMidStreamAndRestartedWithEmptyState() throws Exception {
        String appId = "processor-it-" + runId;
        ServiceProcess first = start(appId, firstStateDir, "first").awaitReady(READY);

        List<OrderEvent> batch1 = events(0, 300);
        send(withDuplicates(batch1, batch1.subList(0, 100)));
        awaitClean(300, Duration.ofSeconds(60));

        List<OrderEvent> batch2 = events(300, 8300);
        send(withDuplicates(batch2, batch1.subList(100, 200)));
        awaitClean(800, Duration.ofSeconds(60));
        first.kill();
        int cleanAtKill = mine(TopicProbe.readAll(Topics.ORDERS_CLEAN, Duration.ofMillis(500))).size();
        assertThat(cleanAtKill).as("killed mid-stream").isLessThan(batch1.size() + batch2.size());

        List<OrderEvent> batch3 = events(8300, 9300);
        send(withDuplicates(batch3, batch2.subList(0, 500)));
        start(appId, secondStateDir, "second").awaitReady(READY);
        send(batch1.subList(200, 300));

        int expected = batch1.size() + batch2.size() + batch3.size();
        awaitClean(expected, Duration.ofSeconds(120));
        List<String> ids = mine(TopicProbe.readAll(Topics.ORDERS_CLEAN, Duration.ofSeconds(3)));
        Set<String> all = new HashSet<>();
        for (List<OrderEvent> batch : List.of(batch1, batch2, batch3)) {
            batch.forEach(e -> all.add(e.eventId()));
        }
        assertThat(ids).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(all);
        assertThat(mine(TopicProbe.readAll(Topics.ORDERS_LATE, Duration.ofSeconds(1))))
                .as("re-sent old events are dropped as duplicates, not diverted as late").isEmpty();
    }

    private List<OrderEvent> events(int from, int to) {
        long now = System.currentTimeMillis();
        List<OrderEvent> events = new ArrayList<>();
        for (int i = from; i < to; i++) {
            OrderEventType type = i % 3 == 0 ? OrderEventType.CANCELLED : OrderEventType.CREATED;
            events.add(Events.order(runId + "-" + i, "it-" + runId + "-" + (i % 17), "SYM", type, 10.0 + i % 5 * 0.01,
                    1, now));
        }
        return events;
    }

    private static List<OrderEvent> withDuplicates(List<OrderEvent> fresh, List<OrderEvent> again) {
        List<OrderEvent> all = new ArrayList<>(fresh);
        for (int i = 0; i < again.size(); i++) {
            all.add(Math.min(all.size(), i * 7), again.get(i));
        }
        return all;
    }

    private static void send(List<OrderEvent> events) {
        List<Map.Entry<String, OrderEvent>> records = events.stream().map(e -> Map.entry(e.key(), e)).toList();
        TopicProbe.sendAll(Topics.ORDERS_RAW, records, new RecordHeaders());
    }

    private List<String> mine(List<ConsumerRecord<String, OrderEvent>> records) {
        return records.stream().map(r -> r.value().eventId()).filter(id -> id.startsWith(runId + "-")).toList();
    }

    private void awaitClean(int count, Duration timeout) {
        TopicProbe.readUntil(Topics.ORDERS_CLEAN, timeout, read -> mine(read).size() >= count);
    }

    private ServiceProcess start(String appId, Path stateDir, String name) {
        return processes.start(StreamsServiceJar.onSharedBroker(JAR, appId, stateDir)
                .property("logging.level.io.streamfleet.processor.topology.EventGateProcessor", "DEBUG")
                .name("processor-it-" + runId + "-" + name));
    }
}

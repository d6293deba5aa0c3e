package io.streamfleet.gateway;

import io.streamfleet.contracts.json.ContractMapper;
import io.streamfleet.contracts.progress.ProgressKind;
import io.streamfleet.contracts.progress.ProgressMark;
import io.streamfleet.contracts.progress.ProgressRecords;
import io.streamfleet.gateway.intake.Bodies;
import io.streamfleet.gateway.publishing.PublishLane;
import io.streamfleet.support.security.ApiKeyAuthenticator;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import io.streamfleet.testkit.kafka.WithKafkaBroker;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged gateway against the shared real broker, on raw topics of its own (so no other gateway's marks mix in):
 * each of its two producers' clock marks follow the events that producer carried, reach every partition at about the
 * interval, and closing the context ends every partition with both producers' leaving marks, each after every event
 * accepted through its producer — also under load of lone events at shutdown.
 */
@WithKafkaBroker
class ProgressRecordsIT {

    private static final String SECRET = "progress-secret";
    private static final int PARTITIONS = 3;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String orders = "orders.raw.progress-" + run;
    private final String engagement = "engagement.raw.progress-" + run;
    private final String instanceId = "gw-it-" + run;
    /** The single-event producer's writer id: each of the gateway's two producers writes marks of its own. */
    private final String singleWriter = PublishLane.SINGLE_EVENTS.writerId(instanceId);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    /** Where the gateway said an accepted event went, and the writer (producer) it went through. */
    record Placed(String topic, int partition, long offset, String writer) {
    }

    @Test
    void shouldFollowEachProducersEventsWithItsMarksAndEndEveryPartitionWithBothLeavingMarksWhenContextCloses()
            throws Exception {
        SharedKafkaBroker.createTopics(List.of(new NewTopic(orders, PARTITIONS, (short) 1),
                new NewTopic(engagement, PARTITIONS, (short) 1)));
        ConfigurableApplicationContext gateway = start();
        List<Placed> accepted = new ArrayList<>();
        try {
            int port = ((WebServerApplicationContext) gateway).getWebServer().getPort();
            accepted.addAll(postBatch(port, 30));
            Map<Integer, Long> lastEvent = accepted.stream()
                    .collect(Collectors.toMap(Placed::partition, Placed::offset, Math::max));
            assertThat(lastEvent).as("30 keys spread over every partition").hasSize(PARTITIONS);

            Placed single = postBatch(port, 1).get(0);
            accepted.add(single);

            List<ConsumerRecord<byte[], byte[]>> read = readUntil(orders, records -> lastEvent.entrySet().stream()
                    .allMatch(e -> ownMarks(records, e.getKey(), instanceId).stream()
                            .anyMatch(r -> r.offset() > e.getValue())
                            && ownMarks(records, e.getKey(), instanceId).size() >= 15)
                    && ownMarks(records, single.partition(), singleWriter).stream()
                            .anyMatch(r -> r.offset() > single.offset()));

            for (int partition = 0; partition < PARTITIONS; partition++) {
                long eventOffset = lastEvent.get(partition);
                assertThat(ownMarks(read, partition, instanceId)).as("a mark follows the events of partition %d",
                        partition).anyMatch(r -> r.offset() > eventOffset);
                assertMarksAtAboutTheInterval(ownMarks(read, partition, instanceId), orders + "-" + partition);
            }
            assertThat(single.writer()).isEqualTo(singleWriter);
            assertThat(ownMarks(read, single.partition(), singleWriter))
                    .as("the single-event producer's own mark follows the lone event it carried")
                    .anyMatch(r -> r.offset() > single.offset());
            List<ConsumerRecord<byte[], byte[]>> quiet = readUntil(engagement, records -> {
                for (int partition = 0; partition < PARTITIONS; partition++) {
                    if (ownMarks(records, partition, instanceId).size() < 5
                            || ownMarks(records, partition, singleWriter).size() < 5) {
                        return false;
                    }
                }
                return true;
            });
            for (int partition = 0; partition < PARTITIONS; partition++) {
                assertThat(ownMarks(quiet, partition, singleWriter)).as("both producers mark a partition without "
                        + "events").hasSizeGreaterThanOrEqualTo(5);
                assertMarksAtAboutTheInterval(ownMarks(quiet, partition, singleWriter),
                        engagement + "-" + partition + " by " + singleWriter);
            }
            String scrape = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(scrape).contains("streamfleet_gateway_progress_marks_total", "outcome=\"sent\"",
                    "topic=\"" + orders + "\"", "streamfleet_gateway_progress_ack_age_ms", "lane=\"batches\"",
                    "lane=\"single-events\"");
            assertThat(scrape.lines()
                    .filter(line -> line.startsWith("streamfleet_gateway_publish_latency_seconds_count")
                            && line.contains("lane=\"single-events\"")))
                    .as("the lone event was published by the single-event producer")
                    .anyMatch(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) >= 1);

            accepted.addAll(closeUnderLoad(gateway, port));
        } finally {
            gateway.close();
        }

        for (String topic : List.of(orders, engagement)) {
            List<ConsumerRecord<byte[], byte[]>> all = readToEnd(topic);
            for (int partition = 0; partition < PARTITIONS; partition++) {
                int p = partition;
                List<ConsumerRecord<byte[], byte[]>> log = all.stream().filter(r -> r.partition() == p).toList();
                ConsumerRecord<byte[], byte[]> last = log.get(log.size() - 1);
                assertThat(ProgressRecords.isProgress(last.headers())).as("last record of %s-%d", topic, p).isTrue();
                assertThat(ProgressRecords.read(last.headers()).kind()).isEqualTo(ProgressKind.LEAVING);
                for (String writer : List.of(instanceId, singleWriter)) {
                    List<ConsumerRecord<byte[], byte[]>> marks = log.stream()
                            .filter(r -> ProgressRecords.isProgress(r.headers()))
                            .filter(r -> ProgressRecords.read(r.headers()).source().equals(writer)).toList();
                    ConsumerRecord<byte[], byte[]> leaving = marks.get(marks.size() - 1);
                    assertThat(ProgressRecords.read(leaving.headers()).kind())
                            .as("the last mark of %s in %s-%d", writer, topic, p).isEqualTo(ProgressKind.LEAVING);
                    assertThat(marks).filteredOn(r -> ProgressRecords.read(r.headers()).kind() == ProgressKind.LEAVING)
                            .as("one leaving mark of %s in %s-%d", writer, topic, p).hasSize(1);
                    assertThat(accepted).filteredOn(a -> a.topic().equals(topic) && a.partition() == p
                                    && a.writer().equals(writer))
                            .as("every event accepted through %s lies before its leaving mark", writer)
                            .allSatisfy(a -> assertThat(a.offset()).isLessThan(leaving.offset()));
                }
            }
        }
        System.out.printf("progress IT: %d events accepted, the last ones while the gateway shut down%n",
                accepted.size());
    }

    /** Started as the packaged application is, with command-line arguments over its application.yaml. */
    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(IngestGatewayApplication.class).run(
                "--server.port=0",
                "--streamfleet.kafka.bootstrap-servers=" + SharedKafkaBroker.bootstrapServers(),
                "--streamfleet.security.keys[0].id=progress",
                "--streamfleet.security.keys[0].sha256=" + ApiKeyAuthenticator.sha256Hex(SECRET),
                "--streamfleet.security.keys[0].scopes[0]=events:write",
                "--streamfleet.gateway.topics.orders=" + orders,
                "--streamfleet.gateway.topics.engagement=" + engagement,
                "--streamfleet.gateway.progress.instance-id=" + instanceId);
    }

    /** Posts events one request at a time while the context closes; returns those answered 202. */
    private List<Placed> closeUnderLoad(ConfigurableApplicationContext gateway, int port) throws Exception {
        ConcurrentLinkedQueue<Placed> accepted = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService load = Executors.newFixedThreadPool(2);
        for (int t = 0; t < 2; t++) {
            load.submit(() -> {
                while (running.get()) {
                    try {
                        accepted.addAll(postBatch(port, 1));
                    } catch (IOException | RuntimeException e) {
                        Thread.sleep(5); // the server is going away
                    }
                }
                return null;
            });
        }
        Thread.sleep(500);
        gateway.close();
        running.set(false);
        load.shutdown();
        assertThat(load.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        return List.copyOf(accepted);
    }

    private List<Placed> postBatch(int port, int events) throws IOException, InterruptedException {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            String id = UUID.randomUUID().toString();
            bodies.add(Bodies.order(run + "-" + id, "acc-" + id.substring(0, 6), "AAPL", System.currentTimeMillis()));
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/orders"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + SECRET)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[" + String.join(",", bodies) + "]")).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            return List.of();
        }
        // a request's lone event goes through the single-event producer, an array of more through the other one
        String writer = events == 1 ? singleWriter : instanceId;
        List<Placed> placed = new ArrayList<>();
        for (JsonNode result : ContractMapper.shared().readTree(response.body()).get("results")) {
            placed.add(new Placed(result.get("topic").asString(), result.get("partition").asInt(),
                    result.get("offset").asLong(), writer));
        }
        return placed;
    }

    private static void assertMarksAtAboutTheInterval(List<ConsumerRecord<byte[], byte[]>> marks, String where) {
        List<Long> times = marks.stream().map(r -> ProgressRecords.read(r.headers()).timeMs()).toList();
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < times.size(); i++) {
            gaps.add(times.get(i) - times.get(i - 1));
        }
        assertThat(gaps).as("marks of %s in order of time", where).allSatisfy(g -> assertThat(g).isNotNegative());
        List<Long> sorted = gaps.stream().sorted().toList();
        assertThat(sorted.get(sorted.size() / 2)).as("median gap between marks of %s: %s", where, gaps)
                .isBetween(120L, 350L);
    }

    private static List<ConsumerRecord<byte[], byte[]>> ownMarks(List<ConsumerRecord<byte[], byte[]>> records,
                                                                 int partition, String writer) {
        return records.stream().filter(r -> r.partition() == partition && ProgressRecords.isProgress(r.headers()))
                .filter(r -> {
                    ProgressMark mark = ProgressRecords.read(r.headers());
                    return mark.source().equals(writer) && mark.kind() == ProgressKind.CLOCK;
                }).toList();
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String topic) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "progress-it-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private static List<ConsumerRecord<byte[], byte[]>> readUntil(
            String topic, Predicate<List<ConsumerRecord<byte[], byte[]>>> done) {
        List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(topic)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!done.test(read)) {
                assertThat(System.nanoTime()).as("%s: condition not met in 30 s", topic).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(100)).forEach(read::add);
            }
        }
        return read;
    }

    private static List<ConsumerRecord<byte[], byte[]>> readToEnd(String topic) {
        List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(topic)) {
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(consumer.assignment()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                assertThat(System.nanoTime()).as("%s: end not reached in 30 s", topic).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(100)).forEach(read::add);
            }
        }
        return read;
    }
}

package io.streamfleet.processor;

import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.stats.OrderWindowStats;
import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.processor.query.TopKeys;
import io.streamfleet.processor.support.Events;
import io.streamfleet.processor.topology.ProcessorStores;
import io.streamfleet.launcher.process.Ports;
import io.streamfleet.support.streams.ManagedKafkaStreams;
import io.streamfleet.testkit.kafka.ProgressTicker;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import io.streamfleet.testkit.kafka.TopicProbe;
import io.streamfleet.testkit.kafka.WithKafkaBroker;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of the application (same application id) share the partitions: every key's stats are answered by
 * either instance (forwarded to the owner), top-N merges both, and readiness follows the streams state. When one
 * instance's streams client stops, its readiness goes DOWN and the other takes over and answers for every key.
 */
@WithKafkaBroker
class MultiInstanceQueryIT {

    private static final int KEYS = 12;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final List<ConfigurableApplicationContext> apps = new ArrayList<>();
    private final String[] accounts = spreadAccounts();

    @TempDir
    Path stateA;

    @TempDir
    Path stateB;

    private ProgressTicker ticker;

    @AfterEach
    void stop() {
        if (ticker != null) {
            ticker.close();
        }
        apps.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void shouldAnswerStatsAndTopNCorrectlyFromEitherInstanceWhenKeysAreSplitBetweenThem() throws Exception {
        int portA = Ports.freePort();
        int portB = Ports.freePort();
        ConfigurableApplicationContext a = start(portA, stateA);
        ConfigurableApplicationContext b = start(portB, stateB);
        WebTestClient clientA = client(portA);
        WebTestClient clientB = client(portB);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            clientA.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
            clientB.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
            assertThat(streams(a).client().metadataForAllStreamsClients()).hasSize(2);
        });

        long base = System.currentTimeMillis() / 2000 * 2000 - 20_000 + 100;
        send(base);
        // the gateway's part: its clock marks are what closes the windows of the now quiet partitions
        ticker = ProgressTicker.start(List.of(Topics.ORDERS_RAW.name(), Topics.ENGAGEMENT_RAW.name()));
        Set<Integer> owners = new HashSet<>();
        for (int i = 0; i < KEYS; i++) {
            owners.add(streams(a).client().queryMetadataForKey(ProcessorStores.STATS_CLOSED_TUMBLING, key(i),
                    Topics.KEY.serializer()).activeHost().port());
        }
        assertThat(owners).as("keys live on both instances").containsExactlyInAnyOrder(portA, portB);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            TopKeys top = clientA.get().uri("/v1/stats/top?n=3").exchange().expectStatus().isOk()
                    .expectBody(TopKeys.class).returnResult().getResponseBody();
            assertThat(top.entries()).extracting(OrderWindowStats::key).containsExactly(key(11), key(10), key(9));
            assertThat(top.entries()).extracting(OrderWindowStats::cancelRatio).containsExactly(0.917, 0.833, 0.75);
        });
        TopKeys fromB = clientB.get().uri("/v1/stats/top?n=3").exchange().expectStatus().isOk()
                .expectBody(TopKeys.class).returnResult().getResponseBody();
        assertThat(fromB.entries()).extracting(OrderWindowStats::key).containsExactly(key(11), key(10), key(9));

        long second = base / 1000 * 1000;
        for (int i = 0; i < KEYS; i++) {
            String k = key(i);
            double notional = new java.math.BigDecimal("10.01").multiply(java.math.BigDecimal.valueOf(12 + i))
                    .doubleValue();
            for (WebTestClient client : List.of(clientA, clientB)) {
                List<OrderWindowStats> windows = client.get()
                        .uri(u -> u.path("/v1/stats").queryParam("key", "{k}").queryParam("window", "tumbling-1s")
                                .queryParam("from", base - 5_000).queryParam("to", base + 5_000).build(k))
                        .exchange().expectStatus().isOk().expectBodyList(OrderWindowStats.class).returnResult()
                        .getResponseBody();
                assertThat(windows).containsExactly(new OrderWindowStats(key(i), "tumbling-1s", second,
                        second + 1000, 12, i, 0, ratio(i), 3, notional));
            }
        }
        clientA.get().uri("/v1/stats?key=x&window=nope").exchange().expectStatus().isBadRequest();
        // Micrometer binds the metrics of tasks and stores that Kafka Streams adds after start at its next refresh
        WebTestClient scraper = clientA.mutate().codecs(c -> c.defaultCodecs().maxInMemorySize(8 << 20)).build();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            String metrics = scraper.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody();
            assertThat(metrics).contains("streamfleet_processor_records_total",
                    "streamfleet_processor_dedup_duplicates_total", "streamfleet_processor_dedup_store_lookups_total",
                    "streamfleet_processor_dedup_filter_bytes", "streamfleet_processor_late_events_total",
                    "streamfleet_processor_stats_windows_emitted_total", "streamfleet_processor_store_disk_bytes",
                    "streamfleet_rocksdb_offheap_used_bytes", "kafka_stream_thread_process_total", "kafka_stream_state_");
        });

        streams(b).stop();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> clientB.get().uri("/actuator/health/readiness")
                .exchange().expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.components.kafkaStreams.details.state").isEqualTo("NOT_RUNNING"));
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            clientA.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
            for (int i = 0; i < KEYS; i++) {
                assertThat(streams(a).client().queryMetadataForKey(ProcessorStores.STATS_CLOSED_TUMBLING, key(i),
                        Topics.KEY.serializer()).activeHost().port()).isEqualTo(portA);
            }
        });
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (int i = 0; i < KEYS; i++) {
                int n = i;
                List<OrderWindowStats> windows = clientA.get()
                        .uri(u -> u.path("/v1/stats").queryParam("key", "{k}").queryParam("window", "tumbling-1s")
                                .queryParam("from", base - 5_000).queryParam("to", base + 5_000).build(key(n)))
                        .exchange().expectStatus().isOk().expectBodyList(OrderWindowStats.class).returnResult()
                        .getResponseBody();
                assertThat(windows).as("key %s after take-over", key(i)).extracting(OrderWindowStats::created,
                        OrderWindowStats::cancelled).containsExactly(org.assertj.core.groups.Tuple.tuple(12L, (long) i));
            }
        });
    }

    /** Accounts whose keys fall on partitions 0, 1, 2, 0, 1, 2, ... so both instances surely own some. */
    private String[] spreadAccounts() {
        String[] chosen = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            for (int n = 0; ; n++) {
                String account = "q-" + runId + "-" + i + "-" + n;
                byte[] key = Topics.KEY.serializer().serialize(Topics.ORDERS_RAW.name(),
                        OrderEvent.keyOf(account, "SYM"));
                if (org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(key))
                        % SharedKafkaBroker.PARTITIONS == i % SharedKafkaBroker.PARTITIONS) {
                    chosen[i] = account;
                    break;
                }
            }
        }
        return chosen;
    }

    private static double ratio(int i) {
        return Math.round(i * 1000.0 / 12) / 1000.0;
    }

    private String key(int i) {
        return OrderEvent.keyOf(accounts[i], "SYM");
    }

    private void send(long base) {
        List<Map.Entry<String, OrderEvent>> records = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            String account = accounts[i];
            double[] prices = {10.00, 10.01, 10.02};
            for (int c = 0; c < 12; c++) {
                records.add(entry(Events.order(account + "-c" + c, account, "SYM", OrderEventType.CREATED,
                        c == 0 ? 10.00 : c == 1 ? 10.02 : 10.01, 1, base + c)));
            }
            for (int x = 0; x < i; x++) {
                records.add(entry(Events.order(account + "-x" + x, account, "SYM", OrderEventType.CANCELLED,
                        prices[1], 1, base + 50 + x)));
            }
        }
        TopicProbe.sendAll(Topics.ORDERS_RAW, records, new RecordHeaders());
    }

    private static Map.Entry<String, OrderEvent> entry(OrderEvent e) {
        return Map.entry(e.key(), e);
    }

    private ConfigurableApplicationContext start(int port, Path stateDir) {
        ConfigurableApplicationContext app = new SpringApplicationBuilder(StreamProcessorApplication.class).run(
                "--server.port=" + port,
                "--streamfleet.kafka.bootstrap-servers=" + SharedKafkaBroker.bootstrapServers(),
                "--streamfleet.streams.application-id=query-it-" + runId,
                "--streamfleet.streams.state-dir=" + stateDir,
                "--streamfleet.streams.application-server=localhost:" + port,
                "--streamfleet.streams.overrides.session.timeout.ms=6000",
                "--streamfleet.streams.overrides.heartbeat.interval.ms=1000",
                "--streamfleet.processor.hopping-size=4s",
                "--streamfleet.processor.hopping-advance=2s",
                "--streamfleet.processor.top-last-minute=4s",
                "--streamfleet.processor.idle-timeout=500ms");
        apps.add(app);
        return app;
    }

    private static ManagedKafkaStreams streams(ConfigurableApplicationContext app) {
        return app.getBean(ManagedKafkaStreams.class);
    }

    private static WebTestClient client(int port) {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(10)).build();
    }
}

package io.streamfleet.alerts.bench;

import io.streamfleet.alerts.it.LoopbackReceiver;
import io.streamfleet.alerts.it.RunningApp;
import io.streamfleet.alerts.it.SseClient;
import io.streamfleet.alerts.webhook.WebhookDispatcher;
import io.streamfleet.contracts.alert.AlertType;
import io.streamfleet.contracts.alert.AnomalyAlert;
import io.streamfleet.contracts.json.ContractMapper;
import io.streamfleet.contracts.topic.Headers;
import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * Alerts per second fanned out by a real alert-api (in this JVM, against the in-JVM KRaft broker) to N SSE clients and
 * M webhook endpoints on a loopback HTTP server. Alerts are produced to {@code alerts.anomaly} at a fixed rate after
 * a warm-up; latency is from the producer's send (the alert's detectedAtMs) to the moment a client read the event off
 * the wire, or an endpoint received the request. Every delivery is counted, so losses and duplicates show.
 *
 * <p>Arguments (all optional, {@code key=value}): {@code sse=20 webhooks=5 rate=200 seconds=20 warmup=5
 * concurrency=8} (the last is {@code streamfleet.alerts.webhooks.max-concurrent-per-endpoint}).
 */
public final class FanOutBenchmark {

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new java.util.HashMap<>();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            options.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        int sse = Integer.parseInt(options.getOrDefault("sse", "20"));
        int webhooks = Integer.parseInt(options.getOrDefault("webhooks", "5"));
        int rate = Integer.parseInt(options.getOrDefault("rate", "200"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "20"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "5"));
        int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "8"));
        new FanOutBenchmark().run(sse, webhooks, rate, seconds, warmup, concurrency);
        System.exit(0);
    }

    private void run(int sseCount, int webhookCount, int rate, int seconds, int warmup, int concurrency)
            throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String account = "bench-" + run;
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        try (LoopbackReceiver receiver = new LoopbackReceiver(32);
             RunningApp app = RunningApp.start(Map.of(
                     "streamfleet.alerts.webhooks.allow-private-targets", "true",
                     "streamfleet.alerts.webhooks.group-id", "bench-" + run,
                     "streamfleet.alerts.feed.buffer-limit", "10000",
                     "streamfleet.alerts.webhooks.max-concurrent-per-endpoint", String.valueOf(concurrency),
                     "logging.level.root", "WARN"))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!app.bean(WebhookDispatcher.class).isAssigned() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            List<LoopbackReceiver.Endpoint> endpoints = new ArrayList<>();
            for (int i = 0; i < webhookCount; i++) {
                LoopbackReceiver.Endpoint endpoint = receiver.endpoint(run + "-" + i);
                HttpResponse<String> created = app.send("POST", "/v1/webhooks", RunningApp.DEV_KEY,
                        "{\"url\":\"" + endpoint.url() + "\",\"filters\":{\"accountId\":\"" + account + "\"}}");
                if (created.statusCode() != 201) {
                    throw new IllegalStateException("webhook not created: " + created.body());
                }
                endpoints.add(endpoint);
            }
            List<SseClient> clients = new ArrayList<>();
            for (int i = 0; i < sseCount; i++) {
                clients.add(SseClient.open(app.uri("/v1/alerts/stream?accountId=" + account), RunningApp.DEV_KEY,
                        null));
            }
            for (SseClient client : clients) {
                while (client.lastEventId() == null) {
                    Thread.sleep(10);
                }
            }
            try (KafkaProducer<String, AnomalyAlert> producer = producer(bootstrap)) {
                produce(producer, account, "w", rate, warmup);
                long started = System.nanoTime();
                int sent = produce(producer, account, "m", rate, seconds);
                double achieved = sent / ((System.nanoTime() - started) / 1e9);
                Result sseResult = collectSse(clients, sent, sseCount);
                Result hookResult = collectWebhooks(endpoints, sent, webhookCount);
                report(sseCount, webhookCount, rate, seconds, sent, achieved, sseResult, hookResult);
                System.out.printf(Locale.ROOT, "max-concurrent-per-endpoint=%d%n", concurrency);
            } finally {
                clients.forEach(SseClient::close);
            }
        }
    }

    private static KafkaProducer<String, AnomalyAlert> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 1),
                Topics.ALERTS_ANOMALY.key().serializer(), Topics.ALERTS_ANOMALY.value().serializer());
    }

    /** Sends {@code rate} alerts per second for {@code seconds}, paced per alert; returns how many were sent. */
    private static int produce(KafkaProducer<String, AnomalyAlert> producer, String account, String phase, int rate,
                               int seconds) {
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        int total = rate * seconds;
        for (int i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            long now = System.currentTimeMillis();
            String symbol = "S" + (i % 24);
            AnomalyAlert alert = new AnomalyAlert(phase + "-" + i, AlertType.BURST_CREATE_MASS_CANCEL, account, symbol,
                    now - 3000, now - 1000, 12, 10, 0.833, 3, List.of(10000L, 10001L, 10002L), now, "bench");
            RecordHeaders headers = new RecordHeaders();
            headers.add(Headers.INGESTED_AT_MS, Headers.encodeLong(now));
            producer.send(new ProducerRecord<>(Topics.ALERTS_ANOMALY.name(), null, alert.key(), alert, headers));
        }
        producer.flush();
        return total;
    }

    private static Result collectSse(List<SseClient> clients, int sent, int count) throws InterruptedException {
        long[] latencies = new long[sent * count];
        int n = 0;
        int duplicates = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (SseClient client : clients) {
            Set<String> seen = new HashSet<>();
            while (seen.size() < sent && System.nanoTime() < deadline) {
                SseClient.Event event = client.next(Duration.ofMillis(200));
                if (event == null) {
                    continue;
                }
                var alert = ContractMapper.shared().readTree(event.data());
                String id = alert.get("alertId").asString();
                if (!id.startsWith("m-")) {
                    continue;
                }
                if (!seen.add(id)) {
                    duplicates++;
                    continue;
                }
                latencies[n++] = event.receivedAtMs() - alert.get("detectedAtMs").asLong();
            }
        }
        return new Result(Arrays.copyOf(latencies, n), sent * count - n, duplicates);
    }

    private static Result collectWebhooks(List<LoopbackReceiver.Endpoint> endpoints, int sent, int count)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<Long> latencies = new ArrayList<>();
        int duplicates = 0;
        for (LoopbackReceiver.Endpoint endpoint : endpoints) {
            Set<String> seen = new HashSet<>();
            int index = 0;
            while (seen.size() < sent && System.nanoTime() < deadline) {
                List<LoopbackReceiver.Received> received = endpoint.received();
                if (index >= received.size()) {
                    Thread.sleep(50);
                    continue;
                }
                LoopbackReceiver.Received request = received.get(index++);
                var body = ContractMapper.shared().readTree(request.body());
                String id = body.get("data").get("alertId").asString();
                if (!id.startsWith("m-")) {
                    continue;
                }
                if (!seen.add(id)) {
                    duplicates++;
                    continue;
                }
                latencies.add(request.arrivedAtMs() - body.get("data").get("detectedAtMs").asLong());
            }
        }
        long[] values = latencies.stream().mapToLong(Long::longValue).toArray();
        return new Result(values, sent * count - values.length, duplicates);
    }

    private static void report(int sse, int webhooks, int rate, int seconds, int sent, double achieved, Result s,
                               Result w) {
        System.out.printf(Locale.ROOT, "%nalert-api fan-out benchmark, %s%n", LocalDate.now());
        System.out.printf(Locale.ROOT, "%d SSE clients, %d webhook endpoints, target %d alerts/s for %d s: sent %d "
                + "(%.0f alerts/s), fan-out %.0f deliveries/s%n", sse, webhooks, rate, seconds, sent, achieved,
                achieved * (sse + webhooks));
        System.out.println("| channel | deliveries | missing | duplicates | p50 ms | p90 ms | p99 ms | max ms |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        System.out.println(s.row("SSE"));
        System.out.println(w.row("webhook"));
    }

    private record Result(long[] latencies, int missing, int duplicates) {
        String row(String channel) {
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            return String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %d |", channel, sorted.length,
                    missing, duplicates, pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99),
                    sorted.length == 0 ? -1 : sorted[sorted.length - 1]);
        }

        private static long pct(long[] sorted, double q) {
            if (sorted.length == 0) {
                return -1;
            }
            return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
        }
    }
}

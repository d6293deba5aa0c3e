package io.streamfleet.alerts.it;

import io.streamfleet.alerts.it.LoopbackReceiver.Answer;
import io.streamfleet.alerts.it.LoopbackReceiver.Endpoint;
import io.streamfleet.alerts.it.LoopbackReceiver.Received;
import io.streamfleet.alerts.webhook.WebhookDelivery;
import io.streamfleet.alerts.webhook.WebhookDispatcher;
import io.streamfleet.contracts.json.ContractMapper;
import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhook delivery against real HTTP endpoints on loopback and the real broker, with one running alert-api (restarted
 * once, in the last scenario). Every subscription filters on an account of its own, so scenarios do not see each
 * other's alerts. Short backoff and circuit settings keep the scenarios in seconds; the rules are the production ones.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhookIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, Object> settings = new HashMap<>(Map.ofEntries(
            Map.entry("streamfleet.alerts.webhooks.allow-private-targets", "true"),
            Map.entry("streamfleet.alerts.webhooks.group-id", "webhook-it-" + run),
            Map.entry("streamfleet.alerts.webhooks.max-attempts", "4"),
            Map.entry("streamfleet.alerts.webhooks.initial-backoff", "300ms"),
            Map.entry("streamfleet.alerts.webhooks.backoff-multiplier", "2"),
            Map.entry("streamfleet.alerts.webhooks.max-backoff", "3s"),
            Map.entry("streamfleet.alerts.webhooks.request-timeout", "700ms"),
            Map.entry("streamfleet.alerts.webhooks.circuit.minimum-calls", "3"),
            Map.entry("streamfleet.alerts.webhooks.circuit.sliding-window-size", "3"),
            Map.entry("streamfleet.alerts.webhooks.circuit.open-for", "1s"),
            Map.entry("streamfleet.alerts.webhooks.circuit.half-open-calls", "1")));
    private LoopbackReceiver receiver;
    private RunningApp app;

    @BeforeAll
    void start() throws Exception {
        SharedKafkaBroker.bootstrapServers();
        receiver = new LoopbackReceiver();
        app = startApp();
    }

    private RunningApp startApp() {
        RunningApp started = RunningApp.start(settings);
        WebhookDispatcher dispatcher = started.bean(WebhookDispatcher.class);
        await().atMost(WAIT).until(dispatcher::isAssigned);
        return started;
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    @Order(1)
    void shouldCreateListUpdateAndDeleteSubscriptionsWhenManagedOverTheApi() {
        Created created = create(receiver.endpoint("crud-" + run), "crud-" + run);
        assertThat(created.secret()).startsWith("whsec_");
        HttpResponse<String> listed = app.get("/v1/webhooks", RunningApp.DEV_KEY);
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).contains(created.id()).doesNotContain(created.secret());

        HttpResponse<String> patched = app.send("PATCH", "/v1/webhooks/" + created.id(), RunningApp.DEV_KEY,
                "{\"enabled\":false,\"description\":\"paused\"}");
        assertThat(patched.statusCode()).isEqualTo(200);
        JsonNode view = json(app.get("/v1/webhooks/" + created.id(), RunningApp.DEV_KEY).body());
        assertThat(view.get("enabled").asBoolean()).isFalse();
        assertThat(view.get("description").asString()).isEqualTo("paused");
        assertThat(view.get("filters").get("accountId").asString()).isEqualTo("crud-" + run);

        assertThat(app.send("DELETE", "/v1/webhooks/" + created.id(), RunningApp.DEV_KEY, null).statusCode())
                .isEqualTo(204);
        assertThat(app.get("/v1/webhooks/" + created.id(), RunningApp.DEV_KEY).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(2)
    void shouldSignEveryDeliveryVerifiablyAndKeepTheOldSecretValidDuringTheGraceWhenTheSecretIsRotated()
            throws Exception {
        String account = "sign-" + run;
        Endpoint endpoint = receiver.endpoint(account);
        Created sub = create(endpoint, account);

        Alerts.send(Alerts.series("sg1-" + run, account, "AAPL", 0, 1));
        Received first = awaitDelivered(endpoint, 1).get(0);
        assertThat(first.header("webhook-id")).isEqualTo("sg1-" + run + "-0");
        assertThat(json(new String(first.body(), StandardCharsets.UTF_8)).get("data").get("alertId").asString())
                .isEqualTo("sg1-" + run + "-0");
        assertThat(first.header("content-type")).startsWith("application/json");
        assertThat(first.header("webhook-signature").split(" ")).hasSize(1);
        assertThat(StandardWebhooksVerifier.verify(sub.secret(), first)).isTrue();
        assertThat(StandardWebhooksVerifier.verify(otherSecret(), first)).isFalse();

        JsonNode rotated = json(app.send("POST", "/v1/webhooks/" + sub.id() + "/rotate-secret", RunningApp.DEV_KEY,
                "{\"graceSeconds\":600}").body());
        String second = rotated.get("secret").asString();
        assertThat(second).startsWith("whsec_").isNotEqualTo(sub.secret());
        Alerts.send(Alerts.series("sg2-" + run, account, "AAPL", 0, 1));
        Received duringGrace = awaitDelivered(endpoint, 2).get(1);
        assertThat(duringGrace.header("webhook-signature").split(" ")).hasSize(2);
        assertThat(StandardWebhooksVerifier.verify(second, duringGrace)).isTrue();
        assertThat(StandardWebhooksVerifier.verify(sub.secret(), duringGrace)).isTrue();

        String third = json(app.send("POST", "/v1/webhooks/" + sub.id() + "/rotate-secret", RunningApp.DEV_KEY,
                "{\"graceSeconds\":0}").body()).get("secret").asString();
        Alerts.send(Alerts.series("sg3-" + run, account, "AAPL", 0, 1));
        Received afterGrace = awaitDelivered(endpoint, 3).get(2);
        assertThat(StandardWebhooksVerifier.verify(third, afterGrace)).isTrue();
        assertThat(StandardWebhooksVerifier.verify(second, afterGrace)).isFalse();
        assertThat(StandardWebhooksVerifier.verify(sub.secret(), afterGrace)).isFalse();
    }

    @Test
    @Order(3)
    void shouldRetryWithBackoffHonouringRetryAfterWhenTheEndpointFailsOrTimesOut() throws Exception {
        String account = "retry-" + run;
        Endpoint endpoint = receiver.endpoint(account)
                .thenAnswer(new Answer(503, "2", 0), new Answer(200, null, 1500));
        Created sub = create(endpoint, account);

        Alerts.send(Alerts.series("rt-" + run, account, "AAPL", 0, 1));
        awaitDelivered(endpoint, 1);
        List<Received> requests = endpoint.received();
        assertThat(requests).hasSize(3);
        assertThat(requests).extracting(r -> r.header("webhook-id")).containsOnly("rt-" + run + "-0");
        long firstGapMs = (requests.get(1).arrivedAtNanos() - requests.get(0).arrivedAtNanos()) / 1_000_000;
        long secondGapMs = (requests.get(2).arrivedAtNanos() - requests.get(1).arrivedAtNanos()) / 1_000_000;
        assertThat(firstGapMs).as("Retry-After: 2 outranks the 300 ms backoff").isGreaterThanOrEqualTo(1950);
        assertThat(secondGapMs).as("700 ms timeout + backoff 600 ms minus up to 20 %% jitter")
                .isGreaterThanOrEqualTo(700 + 480);
        requests.forEach(r -> assertThat(StandardWebhooksVerifier.verify(sub.secret(), r)).isTrue());

        List<JsonNode> attempts = attempts(sub.id(), 3);
        assertThat(attempts).extracting(a -> a.get("outcome").asString())
                .containsExactly("success", "timeout", "http_error");
        assertThat(attempts.get(2).get("status").asInt()).isEqualTo(503);
        assertThat(attempts.get(2).get("nextRetryInMs").asLong()).isGreaterThanOrEqualTo(2000);
    }

    @Test
    @Order(4)
    void shouldOpenTheCircuitAndRecoverWhenTheEndpointFailsAndThenHeals() throws Exception {
        String account = "circuit-" + run;
        Endpoint endpoint = receiver.endpoint(account).alwaysAnswer(Answer.status(500));
        Created sub = create(endpoint, account);
        CircuitBreaker breaker = app.bean(WebhookDelivery.class).breakerOf(sub.id());

        Alerts.send(Alerts.series("cb-" + run, account, "AAPL", 0, 2));
        await().atMost(WAIT).until(() -> breaker.getState() == CircuitBreaker.State.OPEN);
        awaitAttempt(sub.id(), a -> a.get("outcome").asString().equals("circuit_open"));
        int callsWhileOpen = endpoint.received().size();
        assertThat(callsWhileOpen).as("no request passes an open circuit beyond the window").isLessThanOrEqualTo(4);

        endpoint.alwaysAnswer(Answer.status(204));
        Alerts.send(Alerts.series("cb-" + run, account, "AAPL", 2, 1));
        await().atMost(WAIT).until(() -> endpoint.delivered().stream()
                .anyMatch(r -> r.header("webhook-id").equals("cb-" + run + "-2")));
        await().atMost(WAIT).until(() -> breaker.getState() == CircuitBreaker.State.CLOSED);
    }

    @Test
    @Order(5)
    void shouldDeadLetterAndRedeliverWhenAllAttemptsFail() throws Exception {
        String account = "dlq-" + run;
        Endpoint endpoint = receiver.endpoint(account).alwaysAnswer(Answer.status(500));
        Created sub = create(endpoint, account);
        String alertId = "dl-" + run + "-0";

        Alerts.send(Alerts.series("dl-" + run, account, "AAPL", 0, 1));
        await().atMost(WAIT).until(() -> deadLetters(sub.id()).size() == 1);
        JsonNode deadLetter = deadLetters(sub.id()).get(0);
        assertThat(deadLetter.get("alertId").asString()).isEqualTo(alertId);
        assertThat(deadLetter.get("attempts").asInt()).isEqualTo(4);
        assertThat(endpoint.delivered()).isEmpty();
        ConsumerRecord<String, String> onTopic = readDeadLetterTopic(sub.id());
        assertThat(json(onTopic.value()).get("alertId").asString()).isEqualTo(alertId);

        endpoint.alwaysAnswer(Answer.status(200));
        HttpResponse<String> redeliver = app.send("POST", "/v1/webhooks/" + sub.id() + "/redeliver",
                RunningApp.DEV_KEY, "{\"alertId\":\"" + alertId + "\"}");
        assertThat(redeliver.statusCode()).isEqualTo(202);
        assertThat(json(redeliver.body()).get("redelivering").asInt()).isEqualTo(1);
        Received redelivered = awaitDelivered(endpoint, 1).get(0);
        assertThat(redelivered.header("webhook-id")).isEqualTo(alertId);
        assertThat(StandardWebhooksVerifier.verify(sub.secret(), redelivered)).isTrue();
        awaitAttempt(sub.id(), a -> a.get("redelivery").asBoolean() && a.get("outcome").asString().equals("success"));
    }

    @Test
    @Order(6)
    void shouldDisableTheSubscriptionWhenTheEndpointAnswersGone() throws Exception {
        String account = "gone-" + run;
        Endpoint endpoint = receiver.endpoint(account).alwaysAnswer(Answer.status(410));
        Created sub = create(endpoint, account);

        Alerts.send(Alerts.series("gn-" + run, account, "AAPL", 0, 1));
        await().atMost(WAIT).until(() -> !json(app.get("/v1/webhooks/" + sub.id(), RunningApp.DEV_KEY).body())
                .get("enabled").asBoolean());
        JsonNode view = json(app.get("/v1/webhooks/" + sub.id(), RunningApp.DEV_KEY).body());
        assertThat(view.get("disabledReason").asString()).contains("410");
        awaitAttempt(sub.id(), a -> a.get("outcome").asString().equals("gone"));
        assertThat(attempts(sub.id(), 1)).extracting(a -> a.get("outcome").asString()).containsExactly("gone");

        Alerts.send(Alerts.series("gn-" + run, account, "AAPL", 1, 1));
        Thread.sleep(1500);
        assertThat(endpoint.received()).hasSize(1);
    }

    @Test
    @Order(7)
    void shouldExposeWebhookMetricsWhenDeliveriesHappened() {
        String scrape = app.get("/actuator/prometheus", null).body();
        assertThat(scrape).contains("streamfleet_alerts_webhook_attempts_total{application=\"alert-api\",outcome=\"success\"}",
                "outcome=\"http_error\"", "outcome=\"timeout\"", "outcome=\"circuit_open\"", "outcome=\"gone\"",
                "streamfleet_alerts_webhook_delivery_latency_seconds_bucket",
                "streamfleet_alerts_webhook_attempt_duration_seconds_bucket",
                "streamfleet_alerts_webhook_retries_pending", "streamfleet_alerts_webhook_dead_letters_total",
                "streamfleet_alerts_webhook_circuits{application=\"alert-api\",state=\"open\"}",
                "streamfleet_alerts_webhook_subscriptions",
                "streamfleet_alerts_e2e_latency_seconds_bucket{application=\"alert-api\",channel=\"webhook\"");
    }

    @Test
    @Order(8)
    void shouldStillDeliverWhenAlertApiRestartsMidRetry() throws Exception {
        String account = "restart-" + run;
        Endpoint endpoint = receiver.endpoint(account).alwaysAnswer(Answer.status(500));
        Created sub = create(endpoint, account);
        String alertId = "rs-" + run + "-0";

        Alerts.send(Alerts.series("rs-" + run, account, "AAPL", 0, 1));
        await().atMost(WAIT).until(() -> endpoint.received().size() >= 2);
        app.close();
        app = null;
        int attemptsBeforeRestart = endpoint.received().size();
        assertThat(attemptsBeforeRestart).as("shutdown stops retrying instead of using up the attempts").isLessThan(4);
        assertThat(endpoint.delivered()).isEmpty();

        endpoint.alwaysAnswer(Answer.status(200));
        app = startApp();
        Received delivered = awaitDelivered(endpoint, 1).get(0);
        assertThat(delivered.header("webhook-id")).isEqualTo(alertId);
        assertThat(deadLetters(sub.id())).isEmpty();
        assertThat(StandardWebhooksVerifier.verify(sub.secret(), delivered)).isTrue();
        assertThat(app.get("/v1/webhooks/" + sub.id(), RunningApp.DEV_KEY).statusCode())
                .as("subscriptions survive the restart").isEqualTo(200);
        awaitAttempt(sub.id(), a -> a.get("outcome").asString().equals("http_error")); // logged before the restart
        awaitAttempt(sub.id(), a -> a.get("outcome").asString().equals("success"));
    }

    private Created create(Endpoint endpoint, String account) {
        HttpResponse<String> response = app.send("POST", "/v1/webhooks", RunningApp.DEV_KEY,
                "{\"url\":\"" + endpoint.url() + "\",\"filters\":{\"accountId\":\"" + account + "\"}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode body = json(response.body());
        return new Created(body.get("webhook").get("id").asString(), body.get("secret").asString());
    }

    private static List<Received> awaitDelivered(Endpoint endpoint, int count) {
        await().atMost(WAIT).until(() -> endpoint.delivered().size() >= count);
        return endpoint.delivered();
    }

    /** The attempt log (newest first), once it holds at least {@code atLeast} entries. */
    private List<JsonNode> attempts(String id, int atLeast) {
        List<JsonNode> found = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            found.clear();
            json(app.get("/v1/webhooks/" + id + "/attempts", RunningApp.DEV_KEY).body()).forEach(found::add);
            return found.size() >= atLeast;
        });
        return found;
    }

    private void awaitAttempt(String id, java.util.function.Predicate<JsonNode> wanted) {
        await().atMost(WAIT).until(() -> attempts(id, 1).stream().anyMatch(wanted));
    }

    private List<JsonNode> deadLetters(String id) {
        List<JsonNode> found = new ArrayList<>();
        json(app.get("/v1/webhooks/" + id + "/dead-letters", RunningApp.DEV_KEY).body()).forEach(found::add);
        return found;
    }

    private static ConsumerRecord<String, String> readDeadLetterTopic(String subscriptionId) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.WEBHOOK_DEAD_LETTER).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (subscriptionId.equals(record.key())) {
                        return record;
                    }
                }
            }
        }
        throw new AssertionError("no dead letter of " + subscriptionId + " on " + Topics.WEBHOOK_DEAD_LETTER);
    }

    private static String otherSecret() {
        return io.streamfleet.alerts.webhook.signing.WebhookSecret.generate(new java.security.SecureRandom());
    }

    private static JsonNode json(String text) {
        return ContractMapper.shared().readTree(text);
    }

    private record Created(String id, String secret) {
    }
}

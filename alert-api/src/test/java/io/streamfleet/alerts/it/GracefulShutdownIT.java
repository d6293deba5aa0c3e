package io.streamfleet.alerts.it;

import io.streamfleet.alerts.it.LoopbackReceiver.Answer;
import io.streamfleet.alerts.it.LoopbackReceiver.Endpoint;
import io.streamfleet.alerts.webhook.WebhookDispatcher;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stop of alert-api while an SSE client is connected, one webhook request hangs at its endpoint and another
 * delivery waits for its retry: the stop takes seconds, not the graceful-shutdown timeout; the stream ends properly so
 * the client reconnects; and after a restart the client resumes and both deliveries arrive (their offsets were not
 * committed). Runs with the production shutdown-phase timeout (30 s) so a stream holding up the stop would show.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GracefulShutdownIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Generous for a loaded 2-core machine: this stop takes a few seconds there; before the fix it took over 30 s. */
    private static final Duration STOP_BOUND = Duration.ofSeconds(10);
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, Object> settings = new HashMap<>(Map.of(
            "spring.lifecycle.timeout-per-shutdown-phase", "30s",
            "streamfleet.alerts.webhooks.allow-private-targets", "true",
            "streamfleet.alerts.webhooks.group-id", "shutdown-it-" + run,
            "streamfleet.alerts.webhooks.initial-backoff", "1m",
            "streamfleet.alerts.webhooks.request-timeout", "1m"));
    private LoopbackReceiver receiver;
    private Endpoint hanging;
    private Endpoint failing;
    private RunningApp app;
    private SseClient client;
    private String lastEventId;

    @BeforeAll
    void start() throws Exception {
        SharedKafkaBroker.bootstrapServers();
        receiver = new LoopbackReceiver();
        hanging = receiver.endpoint("hanging-" + run).alwaysAnswer(new Answer(200, null, 120_000));
        failing = receiver.endpoint("failing-" + run).alwaysAnswer(Answer.status(500));
        app = startApp();
    }

    @AfterAll
    void stop() {
        if (client != null) {
            client.close();
        }
        if (app != null) {
            app.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    @Order(1)
    void shouldStopWithinSecondsAndEndTheStreamProperlyWhenSseClientsAreConnectedAndWebhooksPending()
            throws Exception {
        subscribe(hanging, "hanging-" + run);
        subscribe(failing, "failing-" + run);
        client = SseClient.open(app.uri("/v1/alerts/stream?accountId=sse-" + run), RunningApp.DEV_KEY, null);
        await().atMost(WAIT).until(() -> client.lastEventId() != null);
        Alerts.send(Alerts.series("sse-" + run, "sse-" + run, "AAPL", 0, 1));
        assertThat(client.next(WAIT)).as("the client is live").isNotNull();
        Alerts.send(Alerts.series("hanging-" + run, "hanging-" + run, "AAPL", 0, 1));
        Alerts.send(Alerts.series("failing-" + run, "failing-" + run, "AAPL", 0, 1));
        await().atMost(WAIT).until(() -> !hanging.received().isEmpty() && !failing.received().isEmpty());

        long startedNanos = System.nanoTime();
        app.close();
        Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
        app = null;

        await().atMost(Duration.ofSeconds(5)).until(client::ended);
        lastEventId = client.lastEventId();
        assertThat(client.endedCleanly()).as("the server ended the stream instead of cutting it off").isTrue();
        assertThat(took).as("stop with an open stream and pending webhooks").isLessThan(STOP_BOUND);
        assertThat(hanging.delivered()).isEmpty();
        assertThat(failing.delivered()).isEmpty();
    }

    @Test
    @Order(2)
    void shouldResumeTheStreamAndDeliverThePendingWebhooksWhenTheStoppedServiceStartsAgain() throws Exception {
        assertThat(lastEventId).as("set by the stop scenario").isNotNull();
        Alerts.send(Alerts.series("sse-" + run, "sse-" + run, "AAPL", 1, 1));
        hanging.alwaysAnswer(Answer.status(200));
        failing.alwaysAnswer(Answer.status(200));

        app = startApp();
        try (SseClient resumed = SseClient.open(app.uri("/v1/alerts/stream?accountId=sse-" + run),
                RunningApp.DEV_KEY, lastEventId)) {
            SseClient.Event missed = resumed.next(WAIT);
            assertThat(missed).as("the alert sent while alert-api was down").isNotNull();
            assertThat(AlertFeedIT.alertId(missed)).isEqualTo("sse-" + run + "-1");
        }
        await().atMost(WAIT).until(() -> !hanging.delivered().isEmpty() && !failing.delivered().isEmpty());
        assertThat(hanging.delivered()).extracting(r -> r.header("webhook-id")).contains("hanging-" + run + "-0");
        assertThat(failing.delivered()).extracting(r -> r.header("webhook-id")).contains("failing-" + run + "-0");
    }

    private RunningApp startApp() {
        RunningApp started = RunningApp.start(settings);
        await().atMost(WAIT).until(started.bean(WebhookDispatcher.class)::isAssigned);
        return started;
    }

    private void subscribe(Endpoint endpoint, String account) {
        HttpResponse<String> response = app.send("POST", "/v1/webhooks", RunningApp.DEV_KEY,
                "{\"url\":\"" + endpoint.url() + "\",\"filters\":{\"accountId\":\"" + account + "\"}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }
}

package io.streamfleet.alerts.it;

import io.streamfleet.alerts.feed.AlertHub;
import io.streamfleet.contracts.alert.AnomalyAlert;
import io.streamfleet.contracts.json.ContractMapper;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.streamfleet.alerts.TestAlerts.engagement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The feed, history and security against the real broker, with alert-api started and restarted like a process.
 * Several scenarios share one running instance; the restart scenario replaces it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlertFeedIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final Map<String, Object> SETTINGS = Map.of(
            "streamfleet.alerts.feed.heartbeat", "300ms",
            "streamfleet.alerts.feed.retry", "500ms",
            "streamfleet.alerts.feed.buffer-limit", "64",
            "streamfleet.alerts.webhooks.group-id", "feed-it-" + UUID.randomUUID());
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private RunningApp app;

    @BeforeAll
    void start() {
        SharedKafkaBroker.bootstrapServers();
        app = RunningApp.start(SETTINGS);
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    @Order(1)
    void shouldSendOnlyMatchingAlertsWithHeartbeatsAndARetryHintWhenFiltered() throws Exception {
        String user = "user-" + run;
        try (SseClient client = SseClient.open(app.uri("/v1/alerts/stream?type=ENGAGEMENT_DROP&userId=" + user),
                RunningApp.DEV_KEY, null)) {
            assertThat(client.status()).isEqualTo(200);
            await().atMost(WAIT).until(() -> client.lastEventId() != null);
            assertThat(client.retryMs()).isEqualTo(500L);

            Alerts.send(List.of(io.streamfleet.alerts.TestAlerts.anomaly("f-a-" + run, user, "AAPL",
                    System.currentTimeMillis())));
            Alerts.sendEngagement(engagement("f-e-other-" + run, "someone-else-" + run, System.currentTimeMillis()));
            Alerts.sendEngagement(engagement("f-e-" + run, user, System.currentTimeMillis()));

            SseClient.Event event = client.next(WAIT);
            assertThat(event).isNotNull();
            assertThat(alertId(event)).isEqualTo("f-e-" + run);
            assertThat(client.next(Duration.ofSeconds(1))).isNull();
            await().atMost(WAIT).until(() -> client.comments().contains("heartbeat"));
        }
        assertThat(app.meters().get("streamfleet.alerts.e2e.latency").tag("channel", "sse").timer().count())
                .isPositive();
    }

    @Test
    @Order(2)
    void shouldResumeWithoutGapOrDuplicateWhenReconnectingWithLastEventId() throws Exception {
        String account = "resume-" + run;
        List<AnomalyAlert> first = new ArrayList<>(Alerts.series("r-" + run, account, "AAPL", 0, 3));
        first.addAll(Alerts.series("r-" + run, account, "MSFT", 3, 3));
        List<SseClient.Event> seen;
        try (SseClient client = SseClient.open(app.uri("/v1/alerts/stream?accountId=" + account), RunningApp.DEV_KEY,
                null)) {
            await().atMost(WAIT).until(() -> client.lastEventId() != null);
            Alerts.send(first);
            seen = new ArrayList<>(client.take(3, WAIT));
        }
        assertThat(seen).hasSize(3);
        List<AnomalyAlert> second = new ArrayList<>(Alerts.series("r-" + run, account, "AAPL", 6, 2));
        second.addAll(Alerts.series("r-" + run, account, "MSFT", 8, 2));
        Alerts.send(second);

        try (SseClient resumed = SseClient.open(app.uri("/v1/alerts/stream?accountId=" + account),
                RunningApp.DEV_KEY, seen.get(2).id())) {
            seen.addAll(resumed.take(7, WAIT));
            assertThat(resumed.next(Duration.ofSeconds(1))).isNull();
        }
        assertExactlyOnceInOrderPerSymbol(seen, 10);
        assertThat(app.meters().get("streamfleet.alerts.sse.resumes").counter().count()).isPositive();
    }

    @Test
    @Order(3)
    void shouldRejectWhenTheRequestIsUnauthorizedOrMalformed() {
        assertThat(app.get("/v1/alerts/stream", null).statusCode()).isEqualTo(401);
        assertThat(app.get("/v1/alerts", "wrong-key").statusCode()).isEqualTo(401);
        assertThat(app.get("/v1/webhooks", RunningApp.READER_KEY).statusCode()).isEqualTo(403);
        HttpResponse<String> badId = app.get("/v1/alerts/stream?lastEventId=not-an-id!", RunningApp.READER_KEY);
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(badId.body()).contains("event id");
        assertThat(app.get("/v1/alerts?type=NOPE", RunningApp.READER_KEY).body()).contains("type: unknown");
        try (SseClient viaQuery = SseClient.open(app.uri("/v1/alerts/stream?access_token=" + RunningApp.READER_KEY),
                null, null)) {
            assertThat(viaQuery.status()).isEqualTo(200);
        }
    }

    @Test
    @Order(4)
    void shouldRefuseLoopbackAndMetadataTargetsWhenPrivateTargetsAreNotAllowed() {
        for (String url : List.of("http://127.0.0.1:9/hook", "http://169.254.169.254/latest", "http://10.0.0.1/x")) {
            HttpResponse<String> response = app.send("POST", "/v1/webhooks", RunningApp.DEV_KEY,
                    "{\"url\":\"" + url + "\"}");
            assertThat(response.statusCode()).as(url).isEqualTo(400);
            assertThat(response.body()).contains("non-public");
        }
    }

    @Test
    @Order(5)
    void shouldDisconnectASlowClientWithBoundedBufferAndLetItResumeWhenItReadsAgain() throws Exception {
        String account = "slow-" + run;
        int total = 3000;
        String note = "x".repeat(4000);
        List<AnomalyAlert> alerts = Alerts.series("s-" + run, account, "AAPL", 0, total).stream()
                .map(a -> new AnomalyAlert(a.alertId(), a.type(), a.accountId(), a.symbol(), a.windowStartMs(),
                        a.windowEndMs(), a.created(), a.canceled(), a.cancelRatio(), a.uniquePriceLevels(),
                        a.createdPriceLevels(), a.detectedAtMs(), note)).toList();
        AlertHub hub = app.bean(AlertHub.class);
        int sessionsBefore = hub.sessionCount();
        double overflowsBefore = overflows();
        List<SseClient.Event> firstPart;
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(2048);
            // the server must close this connection; if it does not, fail instead of blocking the build for ever
            socket.setSoTimeout((int) Duration.ofSeconds(90).toMillis());
            socket.connect(new InetSocketAddress("localhost", app.port()));
            OutputStream out = socket.getOutputStream();
            out.write(("GET /v1/alerts/stream?accountId=" + account + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + RunningApp.DEV_KEY + "\r\nAccept: text/event-stream\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(WAIT).until(() -> hub.sessionCount() > sessionsBefore);

            Alerts.send(alerts);
            await().atMost(Duration.ofSeconds(60)).until(() -> overflows() > overflowsBefore);
            firstPart = parseSse(dechunk(socket.getInputStream()));
        }
        assertThat(firstPart).isNotEmpty().hasSizeLessThan(total);
        await().atMost(WAIT).until(() -> hub.sessionCount() == sessionsBefore);

        List<SseClient.Event> all = new ArrayList<>(firstPart);
        try (SseClient resumed = SseClient.open(app.uri("/v1/alerts/stream?accountId=" + account),
                RunningApp.DEV_KEY, firstPart.get(firstPart.size() - 1).id())) {
            all.addAll(resumed.take(total - firstPart.size(), Duration.ofSeconds(60)));
            assertThat(resumed.next(Duration.ofSeconds(1))).isNull();
        }
        assertThat(all.stream().map(AlertFeedIT::alertId).toList())
                .isEqualTo(alerts.stream().map(AnomalyAlert::alertId).toList());
    }

    @Test
    @Order(6)
    void shouldExposeFeedMetricsWhenClientsConnectedAndResumed() {
        String scrape = app.get("/actuator/prometheus", null).body();
        assertThat(scrape).contains("streamfleet_alerts_sse_clients{application=\"alert-api\"}",
                "streamfleet_alerts_sse_events_sent_total", "streamfleet_alerts_sse_events_replayed_total",
                "streamfleet_alerts_sse_resumes_total",
                "streamfleet_alerts_sse_disconnects_total{application=\"alert-api\",reason=\"overflow\"}",
                "streamfleet_alerts_e2e_latency_seconds_bucket{application=\"alert-api\",channel=\"sse\"",
                "streamfleet_alerts_consumed_total{application=\"alert-api\",type=\"ENGAGEMENT_DROP\"}",
                "streamfleet_alerts_history_size");
    }

    @Test
    @Order(7)
    void shouldResumeOnARestartedInstanceAndKeepHistoryWhenTheServiceRestarts() throws Exception {
        String account = "restart-" + run;
        List<SseClient.Event> seen;
        try (SseClient client = SseClient.open(app.uri("/v1/alerts/stream?accountId=" + account), RunningApp.DEV_KEY,
                null)) {
            await().atMost(WAIT).until(() -> client.lastEventId() != null);
            Alerts.send(Alerts.series("x-" + run, account, "AAPL", 0, 4));
            seen = new ArrayList<>(client.take(2, WAIT));
        }
        assertThat(seen).hasSize(2);
        app.close();
        app = null;
        Alerts.send(Alerts.series("x-" + run, account, "AAPL", 4, 4));

        app = RunningApp.start(SETTINGS);
        try (SseClient resumed = SseClient.open(app.uri("/v1/alerts/stream?accountId=" + account),
                RunningApp.DEV_KEY, seen.get(1).id())) {
            seen.addAll(resumed.take(6, WAIT));
            assertThat(resumed.next(Duration.ofSeconds(1))).isNull();
        }
        assertExactlyOnceInOrderPerSymbol(seen, 8);

        List<String> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            HttpResponse<String> response = app.get("/v1/alerts?accountId=" + account + "&limit=3"
                    + (cursor == null ? "" : "&cursor=" + cursor), RunningApp.READER_KEY);
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode page = ContractMapper.shared().readTree(response.body());
            page.get("items").forEach(item -> paged.add(item.get("alert").get("alertId").asString()));
            cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asString() : null;
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(paged).containsExactly("x-" + run + "-7", "x-" + run + "-6", "x-" + run + "-5", "x-" + run + "-4",
                "x-" + run + "-3", "x-" + run + "-2", "x-" + run + "-1", "x-" + run + "-0");
    }

    @Test
    @Order(8)
    void shouldShowAlertsLiveInTheConsoleAndRecoverWhenAlertApiRestarts() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER)),
                "needs Debian's chromium and chromium-driver (.ci/run installs them)");
        String account = "console-" + run;
        Path profile = Files.createTempDirectory("alert-api-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        WebDriver browser = new ChromeDriver(service, options);
        try {
            // generous: a cold Chromium on a loaded 2-core CI machine took over 20 s to show the first page live
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
            // a timeout names what the page showed instead of a bare lambda
            wait.withMessage(() -> "console status was '" + browser.findElement(By.id("status")).getText() + "'");
            browser.get(app.uri("/?key=" + RunningApp.READER_KEY).toString());
            wait.until(d -> d.findElement(By.id("status")).getText().equals("live"));
            browser.findElement(By.id("accountId")).sendKeys(account);
            browser.findElement(By.id("connect")).click();
            wait.until(d -> d.findElement(By.id("status")).getText().equals("live"));

            Alerts.send(List.of(io.streamfleet.alerts.TestAlerts.anomaly("c-other-" + run, "other-" + run, "AAPL",
                    System.currentTimeMillis())));
            Alerts.send(Alerts.series("c-" + run, account, "TSLA", 0, 1));
            WebElement row = wait.until(d -> d.findElement(By.cssSelector("tr[data-alert-id='c-" + run + "-0']")));
            assertThat(row.getText()).contains("Burst create / mass cancel", account + " · TSLA",
                    "12 created, 10 cancelled (83.3 %)", "3 price levels");
            assertThat(browser.findElements(By.cssSelector("tr[data-alert-id='c-other-" + run + "']")))
                    .as("filtered out").isEmpty();

            int port = app.port();
            app.close();
            app = null;
            wait.until(d -> !d.findElement(By.id("status")).getText().equals("live"));
            Map<String, Object> samePort = new java.util.HashMap<>(SETTINGS);
            samePort.put("server.port", port);
            app = RunningApp.start(samePort);
            wait.until(d -> d.findElement(By.id("status")).getText().equals("live"));
            Alerts.send(Alerts.series("c-" + run, account, "TSLA", 1, 1));
            wait.until(d -> !d.findElements(By.cssSelector("tr[data-alert-id='c-" + run + "-1']")).isEmpty());
            List<WebElement> rows = browser.findElements(By.cssSelector("#alerts tbody tr"));
            assertThat(rows).extracting(r -> r.getAttribute("data-alert-id"))
                    .containsExactly("c-" + run + "-1", "c-" + run + "-0");
        } finally {
            browser.quit();
            service.stop();
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private double overflows() {
        var counter = app.meters().find("streamfleet.alerts.sse.disconnects").tag("reason", "overflow").counter();
        return counter == null ? 0 : counter.count();
    }

    static String alertId(SseClient.Event event) {
        return ContractMapper.shared().readTree(event.data()).get("alertId").asString();
    }

    /** Every alert exactly once; within a symbol (one key, one partition) in production order. */
    private static void assertExactlyOnceInOrderPerSymbol(List<SseClient.Event> events, int expected) {
        List<JsonNode> alerts = events.stream().map(e -> ContractMapper.shared().readTree(e.data())).toList();
        List<String> ids = alerts.stream().map(a -> a.get("alertId").asString()).toList();
        assertThat(ids).hasSize(expected).doesNotHaveDuplicates();
        for (String symbol : List.of("AAPL", "MSFT")) {
            List<Integer> order = alerts.stream().filter(a -> a.get("symbol").asString().equals(symbol))
                    .map(a -> Integer.parseInt(a.get("alertId").asString().replaceAll(".*-", ""))).toList();
            assertThat(order).isSorted();
        }
    }

    private static byte[] dechunk(InputStream in) throws IOException {
        String headers = readLine(in);
        while (!readLine(in).isEmpty()) {
            headers = headers + "\n";
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                break;
            }
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            body.write(in.readNBytes(size));
            readLine(in);
        }
        return body.toByteArray();
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                return line.toString().replace("\r", "");
            }
            line.append((char) c);
        }
        return line.isEmpty() ? null : line.toString();
    }

    private static List<SseClient.Event> parseSse(byte[] body) {
        List<SseClient.Event> events = new ArrayList<>();
        String id = null;
        String data = null;
        for (String line : new String(body, StandardCharsets.UTF_8).split("\n", -1)) {
            if (line.isEmpty()) {
                if (data != null) {
                    events.add(new SseClient.Event(id, data));
                }
                data = null;
            } else if (line.startsWith("id:")) {
                id = line.substring(3);
            } else if (line.startsWith("data:")) {
                data = line.substring(5);
            }
        }
        return events;
    }
}

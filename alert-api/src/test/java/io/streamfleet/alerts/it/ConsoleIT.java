package io.streamfleet.alerts.it;

import com.sun.net.httpserver.HttpServer;
import io.streamfleet.contracts.alert.AlertType;
import io.streamfleet.contracts.alert.AnomalyAlert;
import io.streamfleet.contracts.alert.EngagementAlert;
import io.streamfleet.contracts.evidence.AlertEvidence;
import io.streamfleet.contracts.evidence.AlertEvidence.EvidenceOrder;
import io.streamfleet.contracts.json.ContractMapper;
import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import io.streamfleet.testkit.kafka.TopicProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's detail and overview views in real headless Chromium against alert-api on the real broker. The
 * session-analytics baseline endpoint is a loopback HTTP server answering in its format (no session-analytics in this
 * module's tests). Screenshots of each view land in {@code target/console-screenshots} (copied to docs/images).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final Path SHOTS = Path.of("target", "console-screenshots");
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String user = "user-" + run;
    private HttpServer sessionAnalytics;
    private RunningApp app;
    private WebDriver browser;
    private ChromeDriverService service;
    private Path profile;
    private WebDriverWait wait;

    @BeforeAll
    void start() throws Exception {
        SharedKafkaBroker.bootstrapServers();
        sessionAnalytics = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        sessionAnalytics.createContext("/actuator/health", exchange -> answer(exchange, 200, "{\"status\":\"UP\"}"));
        sessionAnalytics.createContext("/v1/users/", exchange -> {
            boolean known = exchange.getRequestURI().getPath().equals("/v1/users/" + user + "/baseline");
            answer(exchange, known ? 200 : 404, known ? baselineJson() : "{}");
        });
        sessionAnalytics.start();
        String url = "http://127.0.0.1:" + sessionAnalytics.getAddress().getPort();
        Map<String, Object> settings = new HashMap<>();
        settings.put("streamfleet.alerts.webhooks.group-id", "console-it-" + run);
        settings.put("streamfleet.alerts.console.session-analytics-url", url);
        settings.put("streamfleet.alerts.console.services[0]", "session-analytics=" + url);
        settings.put("streamfleet.alerts.console.services[1]", "cep-detector=http://127.0.0.1:9");
        app = RunningApp.start(settings);
        Assumptions.assumeTrue(Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER)),
                "needs Debian's chromium and chromium-driver (.ci/run installs them)");
        profile = Files.createTempDirectory("console-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,800", "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort()
                .build();
        ChromeDriver chrome = new ChromeDriver(service, options);
        // the page itself at 1280×800 (the window size includes the browser's own chrome)
        chrome.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 1280, "height", 800, "deviceScaleFactor", 1, "mobile", false));
        browser = chrome;
        wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        // a timeout names what the page said instead of a bare lambda
        wait.withMessage(() -> "status '" + browser.findElement(By.id("status")).getText() + "', detail message '"
                + browser.findElement(By.id("detail-message")).getText() + "'");
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
            service.stop();
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        if (app != null) {
            app.close();
        }
        if (sessionAnalytics != null) {
            sessionAnalytics.stop(0);
        }
    }

    @Test
    @Order(1)
    void shouldAnswerAnUnknownAlertWithA404ProblemDetail() {
        HttpResponse<String> response = app.get("/v1/alerts/no-such-alert-" + run, RunningApp.READER_KEY);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = ContractMapper.shared().readTree(response.body());
        assertThat(problem.get("detail").asString()).contains("no-such-alert-" + run, "unknown");
        assertThat(app.get("/v1/alerts/no-such-alert-" + run + "/evidence", RunningApp.READER_KEY).statusCode())
                .isEqualTo(404);
        assertThat(app.get("/v1/console/overview", null).statusCode()).as("needs a key").isEqualTo(401);
        assertThat(app.get("/v1/console/overview?minutes=0", RunningApp.READER_KEY).statusCode()).isEqualTo(400);
    }

    @Test
    @Order(2)
    void shouldDrawEveryCreatedAndCancelledOrderOfAKnownEpisodeWhenOpeningABurstAlert() throws Exception {
        long now = System.currentTimeMillis();
        AlertEvidence evidence = episode("d-" + run, "acc-" + run, now - 4_000, 12, 10);
        AnomalyAlert alert = new AnomalyAlert("d-" + run, AlertType.BURST_CREATE_MASS_CANCEL, "acc-" + run, "TSLA",
                now - 4_000, evidence.orders().get(21).eventTimeMs(), 12, 10, 0.833, 4,
                List.of(25000L, 25001L, 25002L, 25003L), now, "12 orders created at 4 price levels, 10 cancelled");
        TopicProbe.sendAll(Topics.ALERTS_EVIDENCE, List.of(Map.entry(evidence.key(), evidence)),
                new org.apache.kafka.common.header.internals.RecordHeaders());
        Alerts.send(List.of(alert));

        browser.get(app.uri("/?key=" + RunningApp.READER_KEY + "#/alerts").toString());
        wait.until(d -> d.findElement(By.id("status")).getText().equals("live"));
        WebElement link = wait.until(d -> d.findElement(By.cssSelector("tr[data-alert-id='d-" + run + "'] td.id a")));
        link.sendKeys(Keys.ENTER);

        wait.until(d -> d.findElements(By.cssSelector("#detail-chart svg.episode")).size() == 1);
        assertThat(browser.getCurrentUrl()).endsWith("#/alerts/d-" + run);
        assertThat(browser.findElements(By.cssSelector("svg.episode .mark.created"))).hasSize(12);
        assertThat(browser.findElements(By.cssSelector("svg.episode .mark.cancelled"))).hasSize(10);
        assertThat(browser.findElements(By.cssSelector("svg.episode rect.window"))).hasSize(2);
        assertThat(browser.findElement(By.id("detail-figures")).getText()).contains("Created", "12", "Cancelled", "10",
                "83.3 %", "Price levels", "250.00 – 250.03");
        shoot("console-alert-detail.png");

        browser.findElement(By.tagName("body")).sendKeys(Keys.ESCAPE);
        wait.until(d -> d.findElement(By.id("view-alerts")).isDisplayed());
    }

    @Test
    @Order(3)
    void shouldDrawTheBaselineAndHighlightTheDroppedSessionWhenOpeningAnEngagementDropByDeepLink()
            throws Exception {
        EngagementAlert alert = new EngagementAlert("e-" + run, AlertType.ENGAGEMENT_DROP, user, DROPPED_START,
                DROPPED_START + 600_000, 4_200.0, 30_760.4, 0.863, System.currentTimeMillis(), "ASD fell 86 %");
        Alerts.sendEngagement(alert);
        await(() -> app.get("/v1/alerts/e-" + run, RunningApp.READER_KEY).statusCode() == 200);

        browser.get(app.uri("/?key=" + RunningApp.READER_KEY + "#/alerts/e-" + run).toString());
        wait.until(d -> d.findElements(By.cssSelector("svg.baseline-chart circle.session")).size() == 8);
        List<WebElement> dropped = browser.findElements(By.cssSelector("svg.baseline-chart circle.session.dropped"));
        assertThat(dropped).hasSize(1);
        double asd = Double.parseDouble(dropped.get(0).getAttribute("data-asd-ms"));
        double baseline = Double.parseDouble(dropped.get(0).getAttribute("data-baseline-ms"));
        assertThat(asd).isLessThan(0.7 * baseline);
        assertThat(browser.findElements(By.cssSelector("svg.baseline-chart path.line.baseline"))).hasSize(1);
        assertThat(browser.findElement(By.id("detail-title")).getText()).contains("Engagement drop", user);
        shoot("console-engagement-detail.png");
    }

    @Test
    @Order(4)
    void shouldUpdateTheOverviewLiveWhenAlertsArrive() throws Exception {
        browser.get(app.uri("/?key=" + RunningApp.READER_KEY + "#/overview").toString());
        wait.until(d -> d.findElements(By.cssSelector("#rate-chart svg.rates")).size() == 1);
        wait.until(d -> d.findElements(By.cssSelector("#health tbody tr")).size() >= 3);
        int before = Integer.parseInt(browser.findElement(By.id("overview-total")).getText());
        Alerts.send(Alerts.series("o-" + run, "acc-top-" + run, "NVDA", 0, 3));
        wait.until(d -> Integer.parseInt(d.findElement(By.id("overview-total")).getText()) == before + 3);
        assertThat(browser.findElement(By.id("top-accounts")).getText()).contains("acc-top-" + run);
        String health = browser.findElement(By.id("health")).getText();
        assertThat(health).contains("session-analytics UP", "cep-detector UNREACHABLE", "alert-api UP",
                "lag of streamfleet-cep-detector");
        shoot("console-overview.png");
    }

    @Test
    @Order(5)
    void shouldLogNoErrorsInTheBrowserConsole() {
        List<LogEntry> severe = new ArrayList<>();
        browser.manage().logs().get(LogType.BROWSER).forEach(e -> {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                severe.add(e);
            }
        });
        assertThat(severe).isEmpty();
    }

    private static final long DROPPED_START = 1_764_000_000_000L;

    /** Eight sessions of about 30 s, then the dropped one at 4.2 s (what session-analytics serves for the user). */
    private String baselineJson() {
        StringBuilder history = new StringBuilder();
        double ema = 0;
        for (int i = 0; i < 8; i++) {
            long start = DROPPED_START - (7 - i) * 3_600_000L;
            double asd = i == 7 ? 4_200 : 28_000 + (i % 3) * 2_500;
            String before = i == 0 ? "null" : String.format(java.util.Locale.ROOT, "%.1f", ema);
            boolean drop = i == 7;
            history.append(i == 0 ? "" : ",").append(String.format(java.util.Locale.ROOT,
                    "{\"sessionStartMs\":%d,\"sessionEndMs\":%d,\"asdMs\":%.1f,\"baselineBeforeMs\":%s,\"drop\":%s}",
                    start, start + 600_000, asd, before, drop));
            ema = i == 0 ? asd : 0.3 * asd + 0.7 * ema;
        }
        return String.format(java.util.Locale.ROOT, "{\"userId\":\"%s\",\"baselineAsdMs\":%.1f,\"sessions\":8,"
                + "\"updatedAtMs\":%d,\"recentSessions\":[],\"history\":[%s]}", user, ema, DROPPED_START + 600_000,
                history);
    }

    /** A known episode: creates 80 ms apart over four levels, then cancels 60 ms apart. */
    private static AlertEvidence episode(String alertId, String account, long start, int creates, int cancels) {
        List<EvidenceOrder> orders = new ArrayList<>();
        for (int i = 0; i < creates; i++) {
            double price = 250.00 + (i % 4) * 0.01;
            orders.add(new EvidenceOrder("c-" + i, "o-" + i, "CREATED", start + i * 80L, price,
                    Math.round(price * 100)));
        }
        long anchor = start + (creates - 1) * 80L;
        for (int i = 0; i < cancels; i++) {
            double price = 250.00 + (i % 4) * 0.01;
            orders.add(new EvidenceOrder("x-" + i, "o-" + i, "CANCELLED", anchor + 40 + i * 60L, price,
                    Math.round(price * 100)));
        }
        return new AlertEvidence(alertId, account, "TSLA", 0.01, anchor - 2_000, anchor, anchor + 1_000, creates,
                cancels, orders);
    }

    private void shoot(String name) throws Exception {
        Files.write(SHOTS.resolve(name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(condition);
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
            throws java.io.IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}

package io.streamfleet.deploy;

import io.streamfleet.launcher.ServiceSpec;
import io.streamfleet.launcher.process.Ports;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Prometheus server on loopback with a throw-away config and storage, scraping the test fleet every second
 * and loading the chart's alert rules; stopped (and waited for) on close.
 */
final class LocalPrometheus implements AutoCloseable {

    private final Process process;
    private final String base;
    private final Path log;

    private LocalPrometheus(Process process, int port, Path log) {
        this.process = process;
        this.base = "http://127.0.0.1:" + port;
        this.log = log;
    }

    static LocalPrometheus start(Path binary, Path dir, List<ServiceSpec> services, Path rulesDir) throws Exception {
        StringBuilder config = new StringBuilder("""
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s/*.yml
                scrape_configs:
                  - job_name: streamfleet
                    metrics_path: /actuator/prometheus
                    static_configs:
                """.formatted(rulesDir.toAbsolutePath()));
        for (ServiceSpec service : services) {
            config.append("      - targets: ['127.0.0.1:").append(service.port()).append("']\n")
                    .append("        labels: {service: ").append(service.name()).append("}\n");
        }
        Path configFile = dir.resolve("prometheus.yml");
        Files.writeString(configFile, config);
        int port = Ports.freePort();
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder(binary.toString(), "--config.file=" + configFile,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-lifecycle")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LocalPrometheus prometheus = new LocalPrometheus(process, port, log);
        prometheus.awaitReady(Duration.ofSeconds(30));
        return prometheus;
    }

    private void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited:\n" + Files.readString(log));
            }
            try {
                if (FleetMetricsIT.HTTP.send(HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("prometheus not ready within " + timeout);
    }

    void awaitTargetsUp(int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (query("sum(up{job=\"streamfleet\"})").path("data").path("result").path(0).path("value").path(1)
                    .asString("0").equals(Integer.toString(count))) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("not all " + count + " targets up: " + get("/api/v1/targets"));
    }

    /** Waits for a few more scrape rounds so rate() over the fresh samples has two points. */
    void awaitScrapes(int rounds) throws InterruptedException {
        Thread.sleep(rounds * 1_000L + 500);
    }

    /** Null when Prometheus accepts the query, else its error. */
    String queryError(String expr) throws Exception {
        JsonNode answer = query(expr);
        return "success".equals(answer.path("status").asString()) ? null : answer.path("error").asString(answer.toString());
    }

    boolean awaitData(String expr, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode result = query(expr).path("data").path("result");
            if (result.isArray() && !result.isEmpty()) {
                return true;
            }
            Thread.sleep(1_000);
        }
        return false;
    }

    int ruleGroupsLoaded() throws Exception {
        return Dashboards.JSON.readTree(get("/api/v1/rules")).path("data").path("groups").size();
    }

    JsonNode query(String expr) throws Exception {
        return Dashboards.JSON.readTree(get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)));
    }

    private String get(String path) throws Exception {
        return FleetMetricsIT.HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}

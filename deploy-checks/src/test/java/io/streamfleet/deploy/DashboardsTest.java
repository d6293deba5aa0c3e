package io.streamfleet.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The dashboards are well-formed, provisionable anywhere (datasource variable) and their PromQL parses. */
class DashboardsTest {

    @Test
    void shouldHaveAnOverviewAndOneDashboardPerServiceWhenFilesAreListed() {
        List<String> names = Dashboards.files().stream().map(p -> p.getFileName().toString()).toList();

        assertThat(names).contains("streamfleet-overview.json");
        for (RepoFiles.Service service : RepoFiles.SERVICES) {
            assertThat(names).contains("streamfleet-" + service.name() + ".json");
        }
    }

    @Test
    void shouldUseUniqueIdsAndTheDatasourceVariableWhenDashboardsAreParsed() {
        Set<String> uids = new HashSet<>();
        for (Path file : Dashboards.files()) {
            JsonNode dashboard = Dashboards.read(file);
            assertThat(uids.add(dashboard.path("uid").asString())).as("unique uid in %s", file).isTrue();
            assertThat(dashboard.path("title").asString()).startsWith("StreamFleet / ");
            assertThat(dashboard.path("templating").path("list").path(0).path("type").asString()).isEqualTo("datasource");
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : Dashboards.panels(dashboard)) {
                assertThat(ids.add(panel.path("id").asInt())).as("unique panel id in %s", file).isTrue();
                assertThat(panel.path("gridPos").path("w").asInt()).isBetween(1, 24);
                if (!"row".equals(panel.path("type").asString())) {
                    assertThat(panel.path("datasource").path("uid").asString()).as(file + " " + panel.path("title"))
                            .isEqualTo("${datasource}");
                    assertThat(panel.path("targets")).as(file + " " + panel.path("title")).isNotEmpty();
                }
            }
        }
    }

    /** Grafana fills in {@code {{label}}}; doubled braces (an escaping slip) would show as literal text. */
    @Test
    void shouldNameLabelsWithDoubleBracesWhenLegendsAreRead() {
        for (Path file : Dashboards.files()) {
            for (JsonNode panel : Dashboards.panels(Dashboards.read(file))) {
                for (JsonNode target : panel.path("targets")) {
                    String legend = target.path("legendFormat").asString();
                    // text, or a label name in exactly two braces
                    assertThat(legend).as(file + " " + panel.path("title"))
                            .matches("([^{}]|\\{\\{\\s*\\w+\\s*\\}\\})*");
                }
            }
        }
    }

    @Test
    void shouldParseEveryPanelQueryWhenPromtoolChecksThem(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(PrometheusRulesTest.PROMTOOL), "promtool missing (Debian package 'prometheus')");
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard-queries\n    rules:\n");
        List<Dashboards.Query> queries = Dashboards.queries().stream().filter(q -> !q.panel().startsWith("variable ")).toList();
        for (int i = 0; i < queries.size(); i++) {
            rules.append("      - record: dashboard_query_").append(i).append("\n        expr: '")
                    .append(PromQl.forPrometheus(queries.get(i).expr()).replace("'", "''")).append("'\n");
        }
        Path file = dir.resolve("dashboard-queries.yml");
        Files.writeString(file, rules);

        PrometheusRulesTest.Result result = PrometheusRulesTest.run(List.of(PrometheusRulesTest.PROMTOOL.toString(),
                "check", "rules", file.toString()));

        assertThat(queries).hasSizeGreaterThan(20);
        assertThat(result.exit()).as(result.output()).isZero();
    }

    @Test
    void shouldScopeEverySelectorWithTheNamespaceAndJobVariablesWhenDashboardsAreParsed() {
        for (Path file : Dashboards.files()) {
            List<String> variables = new ArrayList<>();
            Dashboards.read(file).path("templating").path("list").forEach(v -> variables.add(v.path("name").asString()));
            assertThat(variables).as(file.toString()).containsExactly("datasource", "namespace", "job");
        }
        for (Dashboards.Query query : Dashboards.queries().stream().filter(q -> !q.panel().startsWith("variable ")).toList()) {
            for (String name : PromQl.metricNames(query.expr())) {
                Matcher unscoped = Pattern.compile("(?<![\\w:])" + name + "(?![\\w:])(?!\\{[^}]*namespace=~\"\\$namespace\""
                        + "[^}]*job=~\"\\$job\")").matcher(query.expr());
                assertThat(unscoped.find()).as("%s / %s: %s without namespace and job", query.dashboard(),
                        query.panel(), name).isFalse();
            }
        }
    }

    @Test
    void shouldPutEveryServiceMeterOnAPanelWhenTheSourcesAreRead() throws Exception {
        Pattern meter = Pattern.compile("(?:builder|gauge)\\(\\s*(?:registry,\\s*)?\"((?:streamfleet)\\.[a-z0-9.]+)\"");
        Set<String> meters = new java.util.TreeSet<>();
        for (RepoFiles.Service service : RepoFiles.SERVICES) {
            meters.addAll(sourceMeters(RepoFiles.ROOT.resolve(service.name()).resolve("src/main/java"), meter));
        }
        meters.addAll(sourceMeters(RepoFiles.ROOT.resolve("service-support/src/main/java"), meter));
        String queries = String.join("\n", Dashboards.queries().stream().map(Dashboards.Query::expr).toList());

        assertThat(meters).hasSizeGreaterThan(60);
        assertThat(meters).as("meters on no dashboard panel").allSatisfy(name ->
                assertThat(queries).contains(name.replace('.', '_')));
        assertThat(queries).contains("resilience4j_circuitbreaker_state", "resilience4j_bulkhead_available_concurrent_calls",
                "resilience4j_ratelimiter_available_permissions", "kafka_admin_client_", "kafka_consumer_", "kafka_producer_");
    }

    private static Set<String> sourceMeters(Path sources, Pattern meter) throws java.io.IOException {
        Set<String> names = new java.util.TreeSet<>();
        try (java.util.stream.Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = meter.matcher(Files.readString(file));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    @Test
    void shouldCoverTheGoldenSignalsWhenTheOverviewIsRead() {
        List<String> overview = new ArrayList<>();
        Dashboards.queries().stream().filter(q -> q.dashboard().equals("streamfleet-overview.json"))
                .forEach(q -> overview.add(q.expr()));

        assertThat(String.join("\n", overview)).contains("http_server_requests_seconds", "records_lag_max",
                "kafka_stream_thread_process_total", "dropped_records", "late_events", "rocksdb_offheap",
                "alerts_total", "streamfleet_streams_running");
    }
}

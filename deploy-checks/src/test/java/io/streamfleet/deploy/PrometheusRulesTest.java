package io.streamfleet.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The alert rules and the compose Prometheus config pass promtool, and the rules fire as their unit tests say. */
class PrometheusRulesTest {

    static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    @Test
    void shouldPassPromtoolCheckWhenRulesAreLinted() throws Exception {
        assumeTrue(Files.isExecutable(PROMTOOL), "promtool missing (Debian package 'prometheus')");
        List<String> command = new ArrayList<>(List.of(PROMTOOL.toString(), "check", "rules", "--lint=all", "--lint-fatal"));
        RepoFiles.list(RepoFiles.ALERT_RULES, ".yml").forEach(p -> command.add(p.toString()));

        Result result = run(command);

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void shouldFireOnlyWhereExpectedWhenRuleUnitTestsRun(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(PROMTOOL), "promtool missing (Debian package 'prometheus')");
        String tests = new String(getClass().getResourceAsStream("/prometheus/streamfleet-rules-test.yml").readAllBytes(),
                StandardCharsets.UTF_8).replace("  - RULES", "  - " + RepoFiles.ALERT_RULES.resolve("streamfleet-rules.yml"));
        Path testFile = dir.resolve("rules-test.yml");
        Files.writeString(testFile, tests);

        Result result = run(List.of(PROMTOOL.toString(), "test", "rules", testFile.toString()));

        assertThat(result.exit()).as(result.output()).isZero();
    }

    @Test
    void shouldPassPromtoolCheckWhenComposePrometheusConfigIsLinted() throws Exception {
        assumeTrue(Files.isExecutable(PROMTOOL), "promtool missing (Debian package 'prometheus')");

        Result result = run(List.of(PROMTOOL.toString(), "check", "config", "--syntax-only",
                RepoFiles.PROMETHEUS_CONFIG.toString()));

        assertThat(result.exit()).as(result.output()).isZero();
    }

    @Test
    void shouldGiveEveryAlertASeverityAndARunbookSectionWhenRulesAreRead() {
        String operations = RepoFiles.read(RepoFiles.ROOT.resolve("docs/operations.md"));

        assertThat(Dashboards.rules()).isNotEmpty().allSatisfy(rule -> {
            assertThat(rule.alert()).matches("StreamFleet[A-Za-z0-9]+");
            assertThat(operations).as("runbook heading for %s", rule.alert()).contains("### " + rule.alert());
        });
        assertThat(RepoFiles.read(RepoFiles.ALERT_RULES.resolve("streamfleet-rules.yml")))
                .doesNotContain("severity: info");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldLinkEveryAlertToItsRunbookAndPrefixTheLinkInTheChartWhenABaseUrlIsSet(@TempDir Path scratch) {
        Map<String, Object> rules = RepoFiles.readYaml(RepoFiles.ALERT_RULES.resolve("streamfleet-rules.yml"));
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
            alerts.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        assertThat(alerts).isNotEmpty().allSatisfy(rule -> assertThat(RepoFiles.str(rule, "annotations.runbook_url"))
                .as("runbook_url of %s", rule.get("alert"))
                .isEqualTo("docs/operations.md#" + ((String) rule.get("alert")).toLowerCase(Locale.ROOT)));

        List<Map<String, Object>> rendered = Charts.ofKind(Charts.renderServing(
                Set.of("monitoring.coreos.com/v1/PrometheusRule"), null, Map.of("prometheusRule.enabled", "true",
                        "prometheusRule.runbookBaseUrl", "https://docs.internal/streamfleet/v0.1.0/"), scratch),
                "PrometheusRule");
        assertThat(rendered).hasSize(1);
        List<String> links = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) RepoFiles.at(rendered.get(0), "spec.groups")) {
            ((List<Map<String, Object>>) group.get("rules")).forEach(r -> links.add(RepoFiles.str(r, "annotations.runbook_url")));
        }
        assertThat(links).hasSize(alerts.size()).contains(
                "https://docs.internal/streamfleet/v0.1.0/docs/operations.md#streamfleetstreamthreaddied")
                .allMatch(link -> link.startsWith("https://docs.internal/streamfleet/v0.1.0/docs/operations.md#"));
    }

    record Result(int exit, String output) {
    }

    static Result run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        return new Result(process.exitValue(), output);
    }
}

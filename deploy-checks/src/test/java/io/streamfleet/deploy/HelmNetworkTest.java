package io.streamfleet.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.streamfleet.deploy.RepoFiles.at;
import static io.streamfleet.deploy.RepoFiles.str;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who reaches what: the actuator on its own management port (probes, scraping), a ServiceAccount without a token,
 * and the optional NetworkPolicies.
 */
class HelmNetworkTest {

    @Test
    void shouldServeActuatorOnTheManagementPortAndScrapeItThereWhenServiceMonitorsAreServed(@TempDir Path scratch) {
        List<Map<String, Object>> objects = Charts.renderServing(Set.of("monitoring.coreos.com/v1/ServiceMonitor"),
                RepoFiles.CHART.resolve("ci/production-values.yaml"), Map.of(), scratch);

        for (RepoFiles.Service service : RepoFiles.SERVICES) {
            Map<String, Object> workload = HelmChartTest.workload(objects, service);
            Map<String, Object> container = HelmChartTest.container(workload);
            assertThat(HelmChartTest.env(workload)).as(service.name())
                    .containsEntry("SERVER_PORT", Integer.toString(service.port()))
                    .containsEntry("MANAGEMENT_SERVER_PORT", Integer.toString(service.managementPort()));
            List<Map<String, Object>> ports = at(container, "ports");
            assertThat(ports).extracting(p -> p.get("name") + ":" + p.get("containerPort")).as(service.name())
                    .containsExactly("http:" + service.port(), "management:" + service.managementPort());
            Map<?, ?> annotations = at(workload, "spec.template.metadata.annotations");
            assertThat(annotations.get("prometheus.io/port")).isEqualTo(Integer.toString(service.managementPort()));
            assertThat(annotations.get("prometheus.io/path")).isEqualTo("/actuator/prometheus");

            Map<String, Object> monitor = Charts.get(objects, "ServiceMonitor", Charts.fullname(service.name()));
            List<Map<String, Object>> endpoints = at(monitor, "spec.endpoints");
            assertThat(endpoints).extracting(e -> e.get("port") + " " + e.get("path")).as(service.name())
                    .containsExactly("management /actuator/prometheus");
        }
    }

    @Test
    void shouldRunEveryServiceUnderTheChartsServiceAccountWithoutAToken() {
        List<Map<String, Object>> objects = Charts.render(null, Map.of());

        Map<String, Object> account = Charts.get(objects, "ServiceAccount", "sf-streamfleet");
        assertThat((Object) at(account, "automountServiceAccountToken")).isEqualTo(false);
        for (Map<String, Object> workload : HelmChartTest.workloads(objects)) {
            assertThat(str(workload, "spec.template.spec.serviceAccountName")).isEqualTo("sf-streamfleet");
            assertThat((Object) at(workload, "spec.template.spec.automountServiceAccountToken")).isEqualTo(false);
        }
        assertThat(Charts.ofKind(Charts.render(null, Map.of("serviceAccount.create", "false")), "ServiceAccount")).isEmpty();
    }

    @Test
    void shouldCreateNoNetworkPolicyWhenDefaultsAreUsed() {
        assertThat(Charts.ofKind(Charts.render(null, Map.of()), "NetworkPolicy")).isEmpty();
    }

    @Test
    void shouldOpenTheApiPortsToAnyoneButTheStreamsServicesOnlyToThemselvesWhenNetworkPoliciesAreEnabled() {
        List<Map<String, Object>> objects = Charts.render(null, Map.of("networkPolicy.enabled", "true"));

        assertThat(Charts.ofKind(objects, "NetworkPolicy")).hasSize(RepoFiles.SERVICES.size());
        for (RepoFiles.Service service : RepoFiles.SERVICES) {
            Map<String, Object> policy = Charts.get(objects, "NetworkPolicy", Charts.fullname(service.name()));
            assertThat((Map<String, Object>) at(policy, "spec.podSelector.matchLabels")).as(service.name())
                    .containsEntry("app.kubernetes.io/component", service.name());
            List<Map<String, Object>> ingress = at(policy, "spec.ingress");
            Map<String, Object> api = rule(ingress, "http");
            if (service.name().equals("session-analytics")) {
                assertThat(components(api, "from")).as("interactive queries, and the console's baselines")
                        .containsExactly(service.name(), "alert-api");
            } else if (service.streams()) {
                assertThat(components(api, "from")).as("%s: interactive queries between its own pods", service.name())
                        .containsExactly(service.name());
            } else {
                assertThat(api).as("%s: API from anywhere", service.name()).doesNotContainKey("from");
            }
            Map<String, Object> management = rule(ingress, "management");
            List<Map<String, Object>> scrapers = at(management, "from");
            boolean console = !service.name().equals("alert-api");
            assertThat(scrapers).as(service.name()).hasSize(console ? 3 : 2);
            assertThat((Map<String, Object>) at(scrapers.get(0), "podSelector.matchLabels"))
                    .containsEntry("app.kubernetes.io/name", "prometheus");
            assertThat(components(management, "from")).contains("test");
            assertThat(components(management, "from").contains("alert-api"))
                    .as("%s: the console's pipeline health reads the management port", service.name()).isEqualTo(console);

            List<Map<String, Object>> egress = at(policy, "spec.egress");
            assertThat(egress).as("%s: DNS and Kafka", service.name())
                    .anySatisfy(r -> assertThat(ports(r)).containsExactly(53, 53))
                    .anySatisfy(r -> assertThat(ports(r)).containsExactly(9092, 9093));
            assertThat(egress.stream().anyMatch(r -> ports(r).equals(List.of(443)))).as(service.name() + " webhooks")
                    .isEqualTo(service.name().equals("alert-api"));
        }
    }

    @Test
    void shouldLetAlertApiReachEveryServicesHealthAndSessionAnalyticsBaselinesForTheConsole() {
        List<Map<String, Object>> objects = Charts.render(null, Map.of("networkPolicy.enabled", "true"));

        List<Map<String, Object>> egress = at(Charts.get(objects, "NetworkPolicy", Charts.fullname("alert-api")),
                "spec.egress");
        assertThat(egress).anySatisfy(r -> {
            assertThat(components(r, "to")).containsExactly("session-analytics");
            assertThat(ports(r)).containsExactly(9083, 8083);
        });
        for (String service : List.of("ingest-gateway", "stream-processor", "cep-detector")) {
            assertThat(egress).as(service).anySatisfy(r -> assertThat(components(r, "to")).containsExactly(service));
        }
        String rendered = Charts.template(null, Map.of());
        assertThat(rendered).contains("STREAMFLEET_ALERTS_CONSOLE_SESSION_ANALYTICS_URL",
                "\"http://" + Charts.fullname("session-analytics") + ":8083\"",
                "\"cep-detector=http://" + Charts.fullname("cep-detector") + ":9082\"");
    }

    @Test
    void shouldRestrictTheApiToTheGivenPeersAndKafkaToTheDevBrokerWhenConfigured() {
        List<Map<String, Object>> objects = Charts.render(RepoFiles.CHART.resolve("ci/dev-kafka-values.yaml"),
                Map.of("networkPolicy.enabled", "true",
                        "networkPolicy.apiFrom[0].namespaceSelector.matchLabels.team", "producers"));

        Map<String, Object> gateway = Charts.get(objects, "NetworkPolicy", Charts.fullname("ingest-gateway"));
        List<Map<String, Object>> from = at(rule(at(gateway, "spec.ingress"), "http"), "from");
        assertThat(from).extracting(p -> str(p, "namespaceSelector.matchLabels.team")).containsExactly("producers");
        List<Map<String, Object>> egress = at(gateway, "spec.egress");
        Map<String, Object> kafka = egress.stream().filter(r -> ports(r).contains(9092)).findFirst().orElseThrow();
        assertThat(components(kafka, "to")).containsExactly("dev-kafka");
    }

    private static Map<String, Object> rule(List<Map<String, Object>> rules, String port) {
        return rules.stream().filter(r -> ((List<Map<String, Object>>) r.get("ports")).stream()
                .anyMatch(p -> port.equals(p.get("port")))).findFirst()
                .orElseThrow(() -> new AssertionError("no rule for port " + port + " in " + rules));
    }

    private static List<Object> ports(Map<String, Object> rule) {
        List<Map<String, Object>> ports = at(rule, "ports");
        return ports.stream().map(p -> p.get("port")).toList();
    }

    private static List<String> components(Map<String, Object> rule, String direction) {
        List<Map<String, Object>> peers = at(rule, direction);
        if (peers == null) {
            return List.of();
        }
        return peers.stream().map(p -> (Map<?, ?>) at(p, "podSelector.matchLabels"))
                .filter(l -> l != null && l.containsKey("app.kubernetes.io/component"))
                .map(l -> (String) l.get("app.kubernetes.io/component")).toList();
    }
}

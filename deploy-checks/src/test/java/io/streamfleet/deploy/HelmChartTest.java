package io.streamfleet.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static io.streamfleet.deploy.RepoFiles.at;
import static io.streamfleet.deploy.RepoFiles.str;
import static org.assertj.core.api.Assertions.assertThat;

/** The chart lints strictly and renders, for the defaults and every ci/*-values.yaml scenario, into sane objects. */
class HelmChartTest {

    static Stream<Path> valuesScenarios() {
        return Stream.concat(Stream.of((Path) null), RepoFiles.list(RepoFiles.CHART.resolve("ci"), "-values.yaml").stream());
    }

    @Test
    void shouldPassStrictLintWhenDefaultValuesAreUsed() {
        LintResult result = new Helm(RepoFiles.CHART).lint().strict().call();

        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesScenarios")
    void shouldRenderKubernetesObjectsWhenValuesScenarioIsUsed(Path values) {
        List<Map<String, Object>> objects = Charts.render(values, Map.of());

        assertThat(objects).isNotEmpty().allSatisfy(o -> {
            assertThat(str(o, "apiVersion")).as("apiVersion of %s", o).matches("^([a-z0-9.-]+/)?v[0-9]+(beta[0-9]+)?$");
            assertThat(str(o, "kind")).as("kind").matches("^[A-Z][A-Za-z]+$");
            assertThat(str(o, "metadata.name")).as("name of %s", o.get("kind"))
                    .matches("^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$");
            Map<String, Object> labels = at(o, "metadata.labels");
            assertThat(labels).as("labels of %s/%s", o.get("kind"), str(o, "metadata.name"))
                    .containsEntry("app.kubernetes.io/name", "streamfleet")
                    .containsEntry("app.kubernetes.io/instance", Charts.RELEASE)
                    .containsKeys("app.kubernetes.io/component", "helm.sh/chart");
        });
        for (Map<String, Object> workload : workloads(objects)) {
            assertPodSpecIsHardened(workload);
        }
    }

    @Test
    void shouldRunStreamsServicesAsStatefulSetsWithStateVolumesAndHeadlessServicesWhenDefaultsAreUsed() {
        List<Map<String, Object>> objects = Charts.render(null, Map.of());

        for (RepoFiles.Service service : RepoFiles.SERVICES) {
            String name = Charts.fullname(service.name());
            if (service.streams()) {
                Map<String, Object> sts = Charts.get(objects, "StatefulSet", name);
                assertThat(str(sts, "spec.serviceName")).isEqualTo(name + "-headless");
                List<Map<String, Object>> claims = at(sts, "spec.volumeClaimTemplates");
                assertThat(claims).extracting(c -> str(c, "metadata.name")).containsExactly("state");
                Map<String, Object> headless = Charts.get(objects, "Service", name + "-headless");
                assertThat(str(headless, "spec.clusterIP")).isEqualTo("None");
                assertThat(env(sts)).containsEntry("STREAMFLEET_STATE_DIR", "/var/lib/streamfleet/state")
                        .containsEntry("STREAMFLEET_ADVERTISED_HOST",
                                "$(POD_NAME)." + name + "-headless.$(POD_NAMESPACE).svc.cluster.local");
                assertThat(mountPaths(sts)).contains("/var/lib/streamfleet/state");
            } else {
                assertThat(Charts.find(objects, "StatefulSet", name)).isEmpty();
                Charts.get(objects, "Deployment", name);
            }
            Map<String, Object> svc = Charts.get(objects, "Service", name);
            List<Map<String, Object>> ports = at(svc, "spec.ports");
            assertThat(ports).extracting(p -> p.get("port")).containsExactly(service.port(), service.managementPort());
            Charts.get(objects, "PodDisruptionBudget", name);
            assertThat(env(workload(objects, service))).containsEntry("SERVER_PORT", Integer.toString(service.port()))
                    .containsEntry("STREAMFLEET_KAFKA_BOOTSTRAP_SERVERS", "kafka-bootstrap:9092")
                    .containsEntry("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs");
        }
        Map<String, Object> hpa = Charts.get(objects, "HorizontalPodAutoscaler", Charts.fullname("ingest-gateway"));
        assertThat(str(hpa, "spec.scaleTargetRef.kind")).isEqualTo("Deployment");
        assertThat((Object) at(Charts.get(objects, "Deployment", Charts.fullname("ingest-gateway")), "spec.replicas"))
                .as("the HPA owns the gateway's replica count").isNull();
    }

    @Test
    void shouldMakeEachStreamsPodAStaticGroupMemberNamedAfterThePod() {
        List<Map<String, Object>> objects = Charts.render(null, Map.of());

        for (RepoFiles.Service service : RepoFiles.SERVICES) {
            List<Map<String, Object>> env = at(container(workload(objects, service)), "env");
            Optional<Map<String, Object>> instanceId = env.stream()
                    .filter(e -> "STREAMFLEET_STREAMS_INSTANCE_ID".equals(e.get("name"))).findFirst();
            if (service.streams()) {
                assertThat(instanceId).as(service.name()).hasValueSatisfying(e -> assertThat(
                        str(e, "valueFrom.fieldRef.fieldPath")).isEqualTo("metadata.name"));
            } else {
                assertThat(instanceId).as(service.name()).isEmpty();
            }
        }
    }

    @Test
    void shouldPassTheGatewaysSelfWarmUpSettingsToItAndToNoOtherService() {
        List<Map<String, Object>> defaults = Charts.render(null, Map.of());
        List<Map<String, Object>> off = Charts.render(null, Map.of("ingestGateway.warmUp.enabled", "false",
                "ingestGateway.warmUp.topic", ""));

        for (RepoFiles.Service service : RepoFiles.SERVICES) {
            Map<String, String> env = env(workload(defaults, service));
            if (service.name().equals("ingest-gateway")) {
                assertThat(env).containsEntry("STREAMFLEET_GATEWAY_WARM_UP_ENABLED", "true")
                        .containsEntry("STREAMFLEET_GATEWAY_WARM_UP_MAX_TIME", "60s")
                        .containsEntry("STREAMFLEET_GATEWAY_WARM_UP_TOPIC", "gateway.warm-up");
                assertThat(env(workload(off, service))).containsEntry("STREAMFLEET_GATEWAY_WARM_UP_ENABLED", "false")
                        .containsEntry("STREAMFLEET_GATEWAY_WARM_UP_TOPIC", "");
            } else {
                assertThat(env).as(service.name()).doesNotContainKeys("STREAMFLEET_GATEWAY_WARM_UP_ENABLED",
                        "STREAMFLEET_GATEWAY_WARM_UP_TOPIC");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            defaults: 2 replicas, 1 standby      |                           |                                           | 1
            one replica leaves no room           | ci/dev-kafka-values.yaml  |                                           | 0
            more standbys than other pods        |                           | streamProcessor.numStandbyReplicas=5      | 1
            standbys turned off                  |                           | streamProcessor.numStandbyReplicas=0      | 0
            """)
    void shouldConfigureStandbyReplicasCappedBelowTheReplicaCount(String what, String valuesFile, String set,
                                                                   int expected) {
        Map<String, Object> sets = set == null ? Map.of() : Map.of(set.split("=")[0], set.split("=")[1]);
        List<Map<String, Object>> objects = Charts.render(valuesFile == null ? null : RepoFiles.CHART.resolve(valuesFile),
                sets);

        Map<String, Object> data = at(Charts.get(objects, "ConfigMap", Charts.fullname("stream-processor") + "-config"), "data");
        Map<String, Object> appYaml = RepoFiles.yaml().load((String) data.get("application.yaml"));
        Map<String, Object> overrides = at(appYaml, "streamfleet.streams.overrides");
        assertThat(overrides).as(what).containsEntry("[num.standby.replicas]", expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            defaults: one thread per pod         |                                           | 1
            raised for a bigger pod              | streamProcessor.numStreamThreads=4        | 4
            """)
    void shouldGiveEachStreamsPodTheConfiguredNumberOfStreamThreads(String what, String set, int expected) {
        Map<String, Object> sets = set == null ? Map.of() : Map.of(set.split("=")[0], set.split("=")[1]);
        List<Map<String, Object>> objects = Charts.render(null, sets);

        Map<String, Object> data = at(Charts.get(objects, "ConfigMap", Charts.fullname("stream-processor") + "-config"), "data");
        Map<String, Object> appYaml = RepoFiles.yaml().load((String) data.get("application.yaml"));
        assertThat((Object) at(appYaml, "streamfleet.streams.threads")).as(what).isEqualTo(expected);
    }

    @Test
    void shouldWireSaslTlsApiKeysAndStrimziTopicsWhenProductionValuesAreUsed() {
        List<Map<String, Object>> objects = Charts.render(RepoFiles.CHART.resolve("ci/production-values.yaml"), Map.of());

        Map<String, Object> gateway = Charts.get(objects, "Deployment", Charts.fullname("ingest-gateway"));
        assertThat(env(gateway)).containsEntry("STREAMFLEET_SECURITY_KEYS_0_ID", "order-producers")
                .containsEntry("STREAMFLEET_SECURITY_KEYS_0_SCOPES", "events:write")
                .containsEntry("STREAMFLEET_SECURITY_KEYS_0_RATE_PER_SECOND", "5000")
                .containsEntry("STREAMFLEET_SECURITY_KEYS_1_SCOPES", "alerts:read,webhooks:admin")
                .containsEntry("STREAMFLEET_KAFKA_BOOTSTRAP_SERVERS", "events-kafka-bootstrap.kafka.svc:9093")
                .containsKeys("KAFKA_SASL_JAAS_CONFIG", "KAFKA_TRUSTSTORE_PASSWORD");
        assertThat(str(container(gateway), "image")).isEqualTo("registry.internal.example/streamfleet/ingest-gateway:0.1.0");
        assertThat(env(Charts.get(objects, "StatefulSet", Charts.fullname("cep-detector"))))
                .doesNotContainKey("STREAMFLEET_SECURITY_KEYS_0_ID");

        Map<String, Object> data = at(Charts.get(objects, "ConfigMap", Charts.fullname("stream-processor") + "-config"), "data");
        Map<String, Object> appYaml = RepoFiles.yaml().load((String) data.get("application.yaml"));
        assertThat((Object) at(appYaml, "streamfleet.streams.threads")).isEqualTo(2);
        assertThat(str(appYaml, "spring.kafka.security.protocol")).isEqualTo("SASL_SSL");

        assertThat(Charts.ofKind(objects, "ServiceMonitor")).as("no ServiceMonitor without the operator's CRD").isEmpty();
        assertThat(Charts.ofKind(objects, "PrometheusRule")).as("no PrometheusRule without the operator's CRD").isEmpty();
        assertThat(Charts.ofKind(objects, "KafkaTopic")).as("no KafkaTopic without Strimzi's CRD").isEmpty();
        assertThat(Charts.ofKind(objects, "ConfigMap")).filteredOn(c -> "monitoring".equals(str(c, "metadata.namespace")))
                .hasSize(RepoFiles.list(RepoFiles.DASHBOARDS, ".json").size());
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldCheckEveryEnabledServiceWithTheImageHealthCheckWhenHelmTestRuns(@TempDir Path scratch) {
        assertThat(Charts.hookAnnotations()).containsEntry("templates/tests/readiness-test.yaml", "test")
                .containsEntry("templates/dev-kafka/topics-job.yaml", "post-install,post-upgrade");

        Map<String, Object> pod = Charts.get(Charts.renderWithHooks(RepoFiles.CHART.resolve("ci/dev-kafka-values.yaml"),
                scratch), "Pod", "sf-streamfleet-test-readiness");

        String script = String.join("\n", (List<String>) ((List<Map<String, Object>>) at(pod, "spec.containers")).get(0).get("args"));
        for (RepoFiles.Service service : RepoFiles.SERVICES) {
            assertThat(script).contains("HEALTHCHECK_HOST=" + Charts.fullname(service.name()) + " HEALTHCHECK_PORT="
                    + service.managementPort() + " HEALTHCHECK_PATH=/actuator/health/readiness /app/healthcheck.sh");
        }
        assertThat((Object) at(pod, "spec.securityContext.runAsNonRoot")).isEqualTo(true);
        assertThat(RepoFiles.read(RepoFiles.DOCKERFILE)).contains("COPY deploy/docker/healthcheck.sh /app/healthcheck.sh");
    }

    @Test
    void shouldPrintWhereToLookAndWarnAboutMissingKeysWhenInstalled() {
        String notes = new Helm(RepoFiles.CHART).install().withName(Charts.RELEASE).withNamespace(Charts.NAMESPACE)
                .withKubeVersion(Charts.KUBE_VERSION).dryRun().clientOnly().call().getOutput();

        assertThat(notes).contains("helm test sf -n streamfleet")
                .contains("port-forward svc/sf-streamfleet-alert-api 8084:8084")
                .contains("global.apiKeys is empty")
                .contains("Kafka: kafka-bootstrap:9092");
    }

    @Test
    void shouldProvisionTheDevBrokerForExactlyOnceWhenDevKafkaIsEnabled(@TempDir Path scratch) {
        List<Map<String, Object>> objects = Charts.renderWithHooks(RepoFiles.CHART.resolve("ci/dev-kafka-values.yaml"), scratch);

        Map<String, Object> broker = Charts.get(objects, "StatefulSet", "sf-streamfleet-kafka");
        assertThat(env(broker)).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .containsEntry("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://sf-streamfleet-kafka:9092");
        assertThat(env(workload(objects, RepoFiles.SERVICES.get(1))))
                .containsEntry("STREAMFLEET_KAFKA_BOOTSTRAP_SERVERS", "sf-streamfleet-kafka:9092");
        String job = RepoFiles.yaml().dump(Charts.get(objects, "Job", "sf-streamfleet-kafka-topics"));
        for (String topic : io.streamfleet.contracts.topic.Topics.dataFlowTopicNames()) {
            assertThat(job).contains("--topic " + topic + " --partitions 12");
        }
        for (String topic : io.streamfleet.contracts.topic.Topics.compactedTopicNames()) {
            assertThat(job).contains("--topic " + topic + " --partitions 1 --replication-factor 1 --config cleanup.policy=compact");
        }
        assertThat(job).contains("--topic gateway.warm-up --partitions 1 --replication-factor 1 --config retention.ms=3600000"
                + " --config segment.ms=600000");
    }

    @Test
    void shouldChangeTheConfigChecksumWhenServiceConfigChanges() {
        String name = Charts.fullname("cep-detector");
        String before = checksum(Charts.get(Charts.render(null, Map.of()), "StatefulSet", name));
        String after = checksum(Charts.get(Charts.render(null, Map.of("cepDetector.config.streamfleet.cep.t1", "3s")),
                "StatefulSet", name));
        String otherService = checksum(Charts.get(Charts.render(null, Map.of("cepDetector.config.streamfleet.cep.t1", "3s")),
                "StatefulSet", Charts.fullname("stream-processor")));

        assertThat(before).matches("[0-9a-f]{64}");
        assertThat(after).isNotEqualTo(before);
        assertThat(otherService).isEqualTo(checksum(Charts.get(Charts.render(null, Map.of()), "StatefulSet",
                Charts.fullname("stream-processor"))));
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldShipOneDashboardConfigMapPerDashboardFileWhenDashboardsAreEnabled() {
        List<Map<String, Object>> dashboards = Charts.ofKind(Charts.render(null, Map.of()), "ConfigMap").stream()
                .filter(c -> "1".equals(((Map<?, ?>) at(c, "metadata.labels")).get("grafana_dashboard"))).toList();

        List<String> files = RepoFiles.list(RepoFiles.DASHBOARDS, ".json").stream()
                .map(p -> p.getFileName().toString()).toList();
        assertThat(files).isNotEmpty();
        assertThat(dashboards).flatExtracting(c -> List.copyOf(((Map<String, Object>) c.get("data")).keySet())).containsExactlyInAnyOrderElementsOf(files);
        for (Map<String, Object> map : dashboards) {
            ((Map<?, ?>) map.get("data")).forEach((file, json) -> assertThat(json)
                    .isEqualTo(RepoFiles.read(RepoFiles.DASHBOARDS.resolve((String) file)).stripTrailing()));
        }
    }

    private static String checksum(Map<String, Object> workload) {
        return (String) ((Map<?, ?>) at(workload, "spec.template.metadata.annotations")).get("checksum/config");
    }

    static List<Map<String, Object>> workloads(List<Map<String, Object>> objects) {
        return objects.stream().filter(o -> List.of("Deployment", "StatefulSet").contains(o.get("kind"))
                && !"dev-kafka".equals(((Map<?, ?>) at(o, "metadata.labels")).get("app.kubernetes.io/component"))).toList();
    }

    static Map<String, Object> workload(List<Map<String, Object>> objects, RepoFiles.Service service) {
        return Charts.get(objects, service.streams() ? "StatefulSet" : "Deployment", Charts.fullname(service.name()));
    }

    static Map<String, Object> container(Map<String, Object> workload) {
        List<Map<String, Object>> containers = at(workload, "spec.template.spec.containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    static Map<String, String> env(Map<String, Object> workload) {
        List<Map<String, Object>> env = at(container(workload), "env");
        Map<String, String> byName = new java.util.LinkedHashMap<>();
        for (Map<String, Object> e : env) {
            assertThat(byName).as("duplicate env %s", e.get("name")).doesNotContainKey((String) e.get("name"));
            byName.put((String) e.get("name"), e.containsKey("value") ? String.valueOf(e.get("value")) : "<from>");
        }
        return byName;
    }

    private static List<String> mountPaths(Map<String, Object> workload) {
        List<Map<String, Object>> mounts = at(container(workload), "volumeMounts");
        return mounts.stream().map(m -> (String) m.get("mountPath")).toList();
    }

    private static void assertPodSpecIsHardened(Map<String, Object> workload) {
        String what = workload.get("kind") + "/" + str(workload, "metadata.name");
        Map<String, Object> pod = at(workload, "spec.template.spec");
        assertThat((Object) at(pod, "securityContext.runAsNonRoot")).as(what).isEqualTo(true);
        assertThat((Object) at(pod, "securityContext.runAsUser")).as(what).isEqualTo(10001);
        Map<String, Object> container = container(workload);
        assertThat((Object) at(container, "securityContext.readOnlyRootFilesystem")).as(what).isEqualTo(true);
        assertThat((Object) at(container, "securityContext.allowPrivilegeEscalation")).as(what).isEqualTo(false);
        assertThat((List<String>) at(container, "securityContext.capabilities.drop")).as(what).containsExactly("ALL");
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertThat(str(container, probe + ".httpGet.port")).as(what + " " + probe).isEqualTo("management");
        }
        assertThat(str(container, "livenessProbe.httpGet.path")).as(what).isEqualTo("/actuator/health/liveness");
        assertThat(str(container, "readinessProbe.httpGet.path")).as(what).isEqualTo("/actuator/health/readiness");
        assertThat(str(container, "startupProbe.httpGet.path")).as(what).isEqualTo("/actuator/health/liveness");
        assertThat(str(container, "resources.limits.memory")).as(what).isNotBlank();
        assertThat(str(container, "resources.requests.cpu")).as(what).isNotBlank();
        assertThat(checksum(workload)).as(what).matches("[0-9a-f]{64}");
        assertThat(mountPaths(workload)).as(what).contains("/config", "/tmp");
    }
}

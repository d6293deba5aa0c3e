package io.streamfleet.deploy;

import io.streamfleet.contracts.topic.Topics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.streamfleet.deploy.RepoFiles.at;
import static io.streamfleet.deploy.RepoFiles.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** docker-compose.yml is valid and agrees with the services, the Dockerfile, the topics and Prometheus' targets. */
@SuppressWarnings("unchecked")
class ComposeFileTest {

    static final String DEMO_KEY = "streamfleet-compose-demo-key";
    static Map<String, Object> compose;

    @BeforeAll
    static void parse() {
        compose = RepoFiles.yaml().load(interpolateDefaults(RepoFiles.read(RepoFiles.COMPOSE)));
    }

    /** Resolves ${VAR:-default} the way compose does when VAR is unset. */
    static String interpolateDefaults(String text) {
        Matcher m = Pattern.compile("\\$\\{(\\w+):-([^}]*)}").matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(2)));
        }
        return m.appendTail(out).toString();
    }

    static Map<String, Object> service(String name) {
        Map<String, Object> service = at(compose, "services." + name);
        assertThat(service).as("compose service %s", name).isNotNull();
        return service;
    }

    @Test
    void shouldBeAcceptedByDockerComposeWhenValidated() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/docker-compose")), "docker-compose missing (Debian package)");

        PrometheusRulesTest.Result result = PrometheusRulesTest.run(List.of("/usr/bin/docker-compose", "-f",
                RepoFiles.COMPOSE.toString(), "config", "-q"));

        assertThat(result.exit()).as(result.output()).isZero();
    }

    @Test
    void shouldBuildEachServiceFromItsModuleWithThePortAndEnvironmentItsConfigurationExpects() {
        for (RepoFiles.Service spec : RepoFiles.SERVICES) {
            Map<String, Object> service = service(spec.name());
            Map<String, Object> appYaml = RepoFiles.readYaml(spec.applicationYaml());
            int configuredPort = at(appYaml, "server.port");
            assertThat(configuredPort).as("server.port of %s", spec.name()).isEqualTo(spec.port());

            assertThat(Path.of(RepoFiles.ROOT.toString(), str(service, "build.context"), str(service, "build.dockerfile")).normalize())
                    .as("Dockerfile of %s", spec.name()).isEqualTo(RepoFiles.ROOT.resolve("deploy/docker/Dockerfile"));
            assertThat(str(service, "build.args.MODULE")).isEqualTo(spec.name());
            assertThat(RepoFiles.ROOT.resolve(spec.name()).resolve("pom.xml")).exists();
            assertThat(str(service, "build.args.SERVICE_PORT")).isEqualTo(Integer.toString(spec.port()));
            assertThat(str(service, "image")).startsWith("streamfleet/" + spec.name() + ":");
            assertThat((List<String>) at(service, "ports")).containsExactly(spec.port() + ":" + spec.port());

            Map<String, Object> env = at(service, "environment");
            assertThat(env).as("environment of %s", spec.name())
                    .containsEntry("SERVER_PORT", Integer.toString(spec.port()))
                    .containsEntry("STREAMFLEET_KAFKA_BOOTSTRAP_SERVERS", "kafka:19092")
                    .containsEntry("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs");
            assertThat(str(appYaml, "streamfleet.kafka.bootstrap-servers")).as("%s reads the bootstrap env", spec.name())
                    .isNotBlank();
            if (spec.streams()) {
                assertThat(str(appYaml, "streamfleet.streams.state-dir")).contains("STREAMFLEET_STATE_DIR");
                assertThat(str(appYaml, "streamfleet.streams.application-server")).contains("STREAMFLEET_ADVERTISED_HOST");
                assertThat(env).containsEntry("STREAMFLEET_STATE_DIR", "/var/lib/streamfleet/state")
                        .containsEntry("STREAMFLEET_ADVERTISED_HOST", spec.name());
                assertThat((List<String>) at(service, "volumes"))
                        .containsExactly("state-" + spec.name() + ":/var/lib/streamfleet/state");
                assertThat((Map<String, Object>) at(compose, "volumes")).containsKey("state-" + spec.name());
            } else {
                assertThat(env).doesNotContainKeys("STREAMFLEET_STATE_DIR", "STREAMFLEET_ADVERTISED_HOST");
            }
            if (spec.apiKeys()) {
                assertThat(env).containsEntry("STREAMFLEET_SECURITY_KEYS_0_SHA256", sha256(DEMO_KEY))
                        .containsEntry("STREAMFLEET_SECURITY_KEYS_0_SCOPES", "events:write,alerts:read,webhooks:admin");
            } else {
                assertThat(env).doesNotContainKey("STREAMFLEET_SECURITY_KEYS_0_SHA256");
            }
            assertThat(str(service, "depends_on.kafka-init.condition")).isEqualTo("service_completed_successfully");
        }
    }

    @Test
    void shouldRunASingleNodeKraftBrokerValidForExactlyOnceWhenKafkaIsConfigured() {
        Map<String, Object> env = at(service("kafka"), "environment");

        assertThat(str(service("kafka"), "image")).matches("apache/kafka:\\d+\\.\\d+\\.\\d+");
        assertThat(env).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
                .containsEntry("KAFKA_NODE_ID", "1")
                .containsEntry("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@kafka:9093")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .containsEntry("KAFKA_MIN_INSYNC_REPLICAS", "1")
                .containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .containsKeys("CLUSTER_ID", "KAFKA_LISTENERS", "KAFKA_CONTROLLER_LISTENER_NAMES", "KAFKA_LOG_DIRS");
        assertThat(str(env, "KAFKA_ADVERTISED_LISTENERS")).contains("//kafka:19092");
        assertThat(str(env, "CLUSTER_ID")).matches("[A-Za-z0-9_-]{22}");
        assertThat(str(service("kafka"), "healthcheck.test")).contains("kafka-broker-api-versions.sh");
    }

    @Test
    void shouldCreateExactlyTheFleetTopicsWhenTheInitServiceRuns() {
        Map<String, Object> init = service("kafka-init");
        assertThat((List<String>) at(init, "entrypoint")).contains("/opt/streamfleet/create-topics.sh", "kafka:19092");
        assertThat(str(init, "depends_on.kafka.condition")).isEqualTo("service_healthy");
        String script = RepoFiles.read(RepoFiles.CREATE_TOPICS);

        List<String> expected = new ArrayList<>(Topics.dataFlowTopicNames());
        assertThat(expected).isNotEmpty();
        for (String topic : expected) {
            assertThat(script).as("create-topics.sh creates %s", topic).containsPattern("\\s" + Pattern.quote(topic) + "[\\s;]");
        }
        for (String topic : Topics.compactedTopicNames()) {
            assertThat(script).contains("create " + topic + " 1 --config cleanup.policy=compact");
        }
        Matcher names = Pattern.compile("\\b([a-z]+(?:\\.[a-z]+)+)\\b").matcher(script.replaceAll("(?m)#.*$", ""));
        List<String> created = new ArrayList<>();
        while (names.find()) {
            if (!names.group(1).startsWith("cleanup.") && !names.group(1).endsWith(".sh")) {
                created.add(names.group(1));
            }
        }
        List<String> all = new ArrayList<>(expected);
        all.addAll(Topics.compactedTopicNames());
        assertThat(created).containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void shouldMountOnlyExistingRepositoryPathsAndPinEveryImageWhenParsed() {
        Map<String, Map<String, Object>> services = at(compose, "services");
        for (Map.Entry<String, Map<String, Object>> entry : services.entrySet()) {
            List<String> volumes = at(entry.getValue(), "volumes");
            for (String volume : volumes == null ? List.<String>of() : volumes) {
                if (volume.startsWith("./")) {
                    assertThat(RepoFiles.ROOT.resolve(volume.substring(2, volume.indexOf(':')))).as(entry.getKey()).exists();
                }
            }
            String image = str(entry.getValue(), "image");
            assertThat(image).as("image of %s", entry.getKey()).isNotBlank().doesNotEndWith(":latest").contains(":");
        }
        assertThat((List<String>) at(service("grafana"), "volumes"))
                .contains("./helm/streamfleet/files/dashboards:/var/lib/grafana/dashboards:ro");
        assertThat((List<String>) at(service("prometheus"), "volumes"))
                .contains("./helm/streamfleet/files/alerts:/etc/prometheus/rules:ro");
    }

    @Test
    void shouldScrapeEveryServiceOnItsPortWhenComposePrometheusRuns() {
        Map<String, Object> config = RepoFiles.readYaml(RepoFiles.PROMETHEUS_CONFIG);
        List<Map<String, Object>> jobs = at(config, "scrape_configs");
        Map<String, Object> job = jobs.stream().filter(j -> "streamfleet".equals(j.get("job_name"))).findFirst().orElseThrow();
        assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
        List<Map<String, Object>> staticConfigs = at(job, "static_configs");
        List<String> targets = staticConfigs.stream().flatMap(s -> ((List<String>) s.get("targets")).stream()).toList();

        assertThat(targets).containsExactlyInAnyOrderElementsOf(
                RepoFiles.SERVICES.stream().map(s -> s.name() + ":" + s.port()).toList());
        assertThat((List<String>) at(config, "rule_files")).containsExactly("/etc/prometheus/rules/*.yml");
        Map<String, Object> datasource = ((List<Map<String, Object>>) at(RepoFiles.readYaml(
                RepoFiles.ROOT.resolve("deploy/grafana/provisioning/datasources/prometheus.yml")), "datasources")).get(0);
        assertThat(datasource).containsEntry("url", "http://prometheus:9090").containsEntry("type", "prometheus");
        assertThat(services()).containsKeys("prometheus", "grafana");
    }

    private static Map<String, Object> services() {
        return at(compose, "services");
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

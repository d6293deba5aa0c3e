package io.streamfleet.deploy;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/** Paths of the deployment files in the repository and small YAML helpers shared by the checks. */
final class RepoFiles {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path CHART = ROOT.resolve("helm/streamfleet");
    static final Path DASHBOARDS = CHART.resolve("files/dashboards");
    static final Path ALERT_RULES = CHART.resolve("files/alerts");
    static final Path COMPOSE = ROOT.resolve("docker-compose.yml");
    static final Path DOCKERFILE = ROOT.resolve("deploy/docker/Dockerfile");
    static final Path HEALTHCHECK = ROOT.resolve("deploy/docker/healthcheck.sh");
    static final Path PROMETHEUS_CONFIG = ROOT.resolve("deploy/prometheus/prometheus.yml");
    static final Path CREATE_TOPICS = ROOT.resolve("deploy/kafka/create-topics.sh");

    /**
     * The five services with their fixed ports and whether they are Kafka Streams apps / check API keys. The chart
     * moves the actuator to {@link #managementPort()}; locally it stays on the service port.
     */
    record Service(String name, String valuesKey, int port, boolean streams, boolean apiKeys) {
        int managementPort() {
            return port + 1000;
        }

        Path applicationYaml() {
            return ROOT.resolve(name).resolve("src/main/resources/application.yaml");
        }
    }

    static final List<Service> SERVICES = List.of(
            new Service("ingest-gateway", "ingestGateway", 8080, false, true),
            new Service("stream-processor", "streamProcessor", 8081, true, false),
            new Service("cep-detector", "cepDetector", 8082, true, false),
            new Service("session-analytics", "sessionAnalytics", 8083, true, false),
            new Service("alert-api", "alertApi", 8084, false, true));

    private RepoFiles() {
    }

    static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(200);
        return new Yaml(new SafeConstructor(options));
    }

    static Map<String, Object> readYaml(Path file) {
        try {
            return yaml().load(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of a multi-document YAML stream, empty documents left out. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> readAll(String yamlText) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : yaml().loadAll(yamlText)) {
            if (doc != null) {
                docs.add((Map<String, Object>) doc);
            }
        }
        return docs;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> list(Path dir, String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Walks a path like "spec.template.spec" through nested maps; null when a step is missing. */
    @SuppressWarnings("unchecked")
    static <T> T at(Object node, String path) {
        Object current = node;
        for (String step : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(step);
        }
        return (T) current;
    }

    static String str(Object node, String path) {
        return Objects.toString(at(node, path), null);
    }
}

package io.streamfleet.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.streamfleet.deploy.RepoFiles.at;
import static io.streamfleet.deploy.RepoFiles.str;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka as the chart hands it to the services: security settings reach every client through {@code spring.kafka.*}
 * only, and Strimzi topics use the KafkaTopic API version the cluster serves.
 */
class HelmKafkaSettingsTest {

    private static final Path PRODUCTION = RepoFiles.CHART.resolve("ci/production-values.yaml");

    @Test
    void shouldGiveEveryServiceTheSecuritySettingsOnlyThroughSpringKafkaWhenProductionValuesAreUsed() {
        List<Map<String, Object>> objects = Charts.render(PRODUCTION, Map.of());

        for (RepoFiles.Service service : RepoFiles.SERVICES) {
            Map<String, Object> appYaml = applicationYaml(objects, service);
            assertThat(str(appYaml, "spring.kafka.security.protocol")).as(service.name()).isEqualTo("SASL_SSL");
            Map<String, Object> properties = at(appYaml, "spring.kafka.properties");
            assertThat(properties).as(service.name()).containsEntry("[sasl.mechanism]", "SCRAM-SHA-512")
                    .containsEntry("[sasl.jaas.config]", "${KAFKA_SASL_JAAS_CONFIG}");
            assertThat((Map<String, Object>) at(appYaml, "spring.kafka.ssl")).as(service.name())
                    .containsEntry("trust-store-location", "file:/etc/streamfleet/kafka-tls/ca.p12")
                    .containsEntry("trust-store-password", "${KAFKA_TRUSTSTORE_PASSWORD}")
                    .containsEntry("trust-store-type", "PKCS12");
            Map<String, Object> overrides = at(appYaml, "streamfleet.streams.overrides");
            if (overrides != null) {
                assertThat(overrides.keySet()).as("%s: no second copy for Kafka Streams", service.name())
                        .noneMatch(k -> k.matches(".*(security\\.protocol|sasl\\.|ssl\\.).*"));
            }
            Map<String, Object> workload = HelmChartTest.workload(objects, service);
            assertThat(HelmChartTest.env(workload)).as(service.name())
                    .containsEntry("KAFKA_SASL_JAAS_CONFIG", "<from>").containsEntry("KAFKA_TRUSTSTORE_PASSWORD", "<from>");
            List<Map<String, Object>> mounts = at(HelmChartTest.container(workload), "volumeMounts");
            assertThat(mounts).extracting(m -> m.get("mountPath")).as(service.name())
                    .contains("/etc/streamfleet/kafka-tls");
        }
    }

    @Test
    void shouldWriteNoKafkaSecuritySettingsWhenTheClusterIsPlaintext() {
        List<Map<String, Object>> objects = Charts.render(null, Map.of());

        for (RepoFiles.Service service : RepoFiles.SERVICES) {
            Map<String, Object> appYaml = applicationYaml(objects, service);
            assertThat((Object) at(appYaml, "spring.kafka")).as(service.name()).isNull();
            assertThat(HelmChartTest.env(HelmChartTest.workload(objects, service))).as(service.name())
                    .doesNotContainKeys("KAFKA_SASL_JAAS_CONFIG", "KAFKA_TRUSTSTORE_PASSWORD");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            current Strimzi                | kafka.strimzi.io/v1/KafkaTopic                                  |                          | kafka.strimzi.io/v1
            older Strimzi                  | kafka.strimzi.io/v1beta2/KafkaTopic                             |                          | kafka.strimzi.io/v1beta2
            during the migration, both     | kafka.strimzi.io/v1/KafkaTopic,kafka.strimzi.io/v1beta2/KafkaTopic |                       | kafka.strimzi.io/v1
            no Strimzi                     | none                                                            |                          | none
            no cluster, version forced     | none                                                            | kafka.strimzi.io/v1beta2 | kafka.strimzi.io/v1beta2
            """)
    void shouldCreateKafkaTopicsAtTheApiVersionTheClusterServes(String what, String served, String forced,
                                                                 String expected, @TempDir Path scratch) {
        Map<String, Object> sets = forced == null ? Map.of() : Map.of("topics.strimzi.apiVersion", forced);
        List<Map<String, Object>> objects = Charts.renderServing(Set.of(served.split(",")), PRODUCTION, sets, scratch);

        List<Map<String, Object>> topics = Charts.ofKind(objects, "KafkaTopic");
        if (expected.equals("none")) {
            assertThat(topics).as(what).isEmpty();
            return;
        }
        List<String> names = io.streamfleet.contracts.topic.Topics.dataFlowTopicNames();
        // the data-flow and compacted topics, and the gateway's self-warm-up topic
        assertThat(topics).as(what).hasSize(names.size() + io.streamfleet.contracts.topic.Topics.compactedTopicNames().size() + 1)
                .allSatisfy(t -> {
                    assertThat(str(t, "apiVersion")).isEqualTo(expected);
                    assertThat(((Map<?, ?>) at(t, "metadata.labels")).get("strimzi.io/cluster")).isEqualTo("events");
                });
        assertThat(topics).extracting(t -> str(t, "spec.topicName")).containsAll(names);
        Map<String, Object> orders = Charts.get(objects, "KafkaTopic", "orders-raw");
        assertThat((Object) at(orders, "spec.partitions")).isEqualTo(12);
        assertThat((Object) at(orders, "spec.replicas")).isEqualTo(3);
        Map<String, Object> warmUp = Charts.get(objects, "KafkaTopic", "gateway-warm-up");
        assertThat(str(warmUp, "spec.topicName")).isEqualTo("gateway.warm-up");
        assertThat((Object) at(warmUp, "spec.partitions")).isEqualTo(1);
        assertThat((Object) at(warmUp, "spec.config")).isEqualTo(Map.of("retention.ms", 3600000, "segment.ms", 600000,
                "min.insync.replicas", 2));
    }

    @Test
    void shouldCreateNoWarmUpTopicWhenTheGatewayWarmsUpWithoutOneOrNotAtAll(@TempDir Path scratch) {
        for (Map<String, Object> sets : List.<Map<String, Object>>of(Map.of("ingestGateway.warmUp.enabled", "false"),
                Map.of("ingestGateway.warmUp.topic", ""))) {
            List<Map<String, Object>> objects = Charts.renderServing(Set.of("kafka.strimzi.io/v1/KafkaTopic"),
                    PRODUCTION, sets, scratch);
            assertThat(Charts.ofKind(objects, "KafkaTopic")).as(sets.toString())
                    .extracting(t -> str(t, "spec.topicName")).isNotEmpty().doesNotContain("gateway.warm-up");
        }
    }

    static Map<String, Object> applicationYaml(List<Map<String, Object>> objects, RepoFiles.Service service) {
        Map<String, Object> data = at(Charts.get(objects, "ConfigMap", Charts.fullname(service.name()) + "-config"), "data");
        return RepoFiles.yaml().load((String) data.get("application.yaml"));
    }
}

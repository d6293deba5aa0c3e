package io.streamfleet.deploy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** values.schema.json turns typos and impossible settings into install errors naming the offending key. */
class ValuesSchemaTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            typo in a service block         | ingestGateway.replicas=3                                   | replicas
            unknown top-level key           | kafka.bootstrapServers=broker:9092                         | kafka
            unknown security protocol       | global.kafka.securityProtocol=TLS                          | securityProtocol
            bootstrap server without port   | global.kafka.bootstrapServers=broker                       | bootstrapServers
            negative replica count          | streamProcessor.replicaCount=-1                            | replicaCount
            negative standby replica count  | cepDetector.numStandbyReplicas=-1                          | numStandbyReplicas
            standbys on a stateless service | alertApi.numStandbyReplicas=1                              | numStandbyReplicas
            volume on a stateless service   | alertApi.persistence.enabled=true                          | persistence
            unknown access mode             | cepDetector.persistence.accessModes[0]=Sometimes           | accessModes
            API key secret instead of hash  | global.apiKeys[0].id=k;global.apiKeys[0].sha256=secret;global.apiKeys[0].scopes[0]=events:write | sha256
            unknown API key scope           | global.apiKeys[0].id=k;global.apiKeys[0].sha256=5749ae917c3ba6a8ea34e1dc1761b0141d1722e534a43124fc6128e83385faa1;global.apiKeys[0].scopes[0]=admin | scopes
            unknown log format              | global.logFormat=text                                      | logFormat
            malformed KRaft cluster id      | devKafka.clusterId=abc                                     | clusterId
            HPA above 100 percent CPU       | ingestGateway.autoscaling.targetCPUUtilizationPercentage=150 | targetCPUUtilizationPercentage
            topic name with a space         | topics.names[0]=orders raw                                 | names
            unknown Strimzi API version     | topics.strimzi.apiVersion=kafka.strimzi.io/v2              | apiVersion
            typo in the network policy      | networkPolicy.enable=true                                  | enable
            Kafka port out of range         | networkPolicy.kafka.ports[0]=70000                         | ports
            runbook base URL without slash  | prometheusRule.runbookBaseUrl=https://docs.internal        | runbookBaseUrl
            """)
    void shouldRejectValuesWhenTheyBreakTheSchema(String what, String sets, String offendingKey) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String set : sets.split(";")) {
            String[] kv = set.split("=", 2);
            values.put(kv[0].trim(), kv[1].trim());
        }

        assertThatThrownBy(() -> Charts.template(null, values)).as(what)
                .hasMessageContaining("schema")
                .hasMessageContaining(offendingKey);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            SASL_SSL with SCRAM             | global.kafka.securityProtocol=SASL_SSL;global.kafka.sasl.mechanism=SCRAM-SHA-256
            several bootstrap servers       | global.kafka.bootstrapServers=a:9092,b:9092,c:9092
            no PDB, no persistence          | streamProcessor.podDisruptionBudget.enabled=false;streamProcessor.persistence.enabled=false
            percentage PDB                  | cepDetector.podDisruptionBudget.maxUnavailable=25%
            network policy with API peers   | networkPolicy.enabled=true;networkPolicy.apiFrom[0].podSelector.matchLabels.role=producer
            Strimzi API version forced      | topics.strimzi.apiVersion=kafka.strimzi.io/v1
            """)
    void shouldAcceptValuesWhenTheyAreValid(String what, String sets) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String set : sets.split(";")) {
            String[] kv = set.split("=", 2);
            values.put(kv[0].trim(), kv[1].trim());
        }

        assertThat(Charts.render(null, values)).as(what).isNotEmpty();
    }
}

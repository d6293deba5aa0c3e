package io.streamfleet.testkit.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Configuration;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The bundle of rules every service obeys reports each rule a class breaks, and passes a class that breaks none. */
class FleetArchitectureTest {

    private static final String OWN = "io.streamfleet.testkit.arch";

    @Test
    void shouldReportConfigurationOutsideConfigAndAHandBuiltClientWhenAServiceHasBoth() {
        JavaClasses classes = new ClassFileImporter().importClasses(WiringOutsideConfig.class, HandBuiltClient.class);

        EvaluationResult result = FleetArchitecture.serviceRules(OWN).evaluate(classes);

        assertThat(result.hasViolation()).isTrue();
        assertThat(String.join("\n", result.getFailureReport().getDetails()))
                .contains(WiringOutsideConfig.class.getName()).contains(HandBuiltClient.class.getName());
    }

    @Test
    void shouldPassWhenAServiceClassBreaksNoRule() {
        JavaClasses classes = new ClassFileImporter().importClasses(PlainRule.class);

        assertThat(FleetArchitecture.serviceRules(OWN).evaluate(classes).hasViolation()).isFalse();
    }

    @Configuration(proxyBeanMethods = false)
    static class WiringOutsideConfig {
    }

    static final class HandBuiltClient {
        Object producer() {
            return new KafkaProducer<>(Map.of("bootstrap.servers", "localhost:1"), new StringSerializer(),
                    new StringSerializer());
        }
    }

    static final class PlainRule {
        boolean late(long eventTime, long watermark) {
            return eventTime < watermark;
        }
    }
}

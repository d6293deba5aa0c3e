package io.streamfleet.support;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.streamfleet.testkit.arch.FleetArchitecture;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * service-support builds the Streams client, its admin clients and the health admin: all through KafkaClients; what
 * the services' processors share knows no Spring.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.streamfleet.support");

    @Test
    void shouldBuildKafkaClientsOnlyInTheSharedFactory() {
        FleetArchitecture.kafkaClientsComeFromTheSharedFactory("io.streamfleet.support").check(MAIN);
    }

    @Test
    void shouldKeepWhatProcessorsShareFreeOfSpring() {
        // the services' processors use these and are tested with TopologyTestDriver, without a Spring context
        FleetArchitecture.streamAdaptersAreFreeOfSpring("io.streamfleet.support.processor",
                "io.streamfleet.support.progress", "io.streamfleet.support.streams.store").check(MAIN);
    }

    @Test
    void shouldCatchAClientBuiltByHand() {
        JavaClasses tests = new ClassFileImporter().importClasses(HandBuilt.class);
        assertThat(FleetArchitecture.kafkaClientsComeFromTheSharedFactory("io.streamfleet.support")
                .evaluate(tests).hasViolation()).isTrue();
    }

    static final class HandBuilt {
        Object admin() {
            return org.apache.kafka.clients.admin.Admin.create(java.util.Map.of("bootstrap.servers", "localhost:1"));
        }
    }
}

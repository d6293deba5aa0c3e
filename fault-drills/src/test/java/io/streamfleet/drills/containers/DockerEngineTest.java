package io.streamfleet.drills.containers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.testcontainers.DockerClientFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** The skip logic of the container tests: when they run, when they are skipped, and what the skip says. */
class DockerEngineTest {

    @Test
    void shouldEnableContainerTestsWhenADockerEngineIsReachable() {
        ConditionEvaluationResult result = new DockerEngine(() -> true).evaluate();

        assertThat(result.isDisabled()).isFalse();
    }

    @Test
    void shouldSkipWithAReasonNamingWhatIsMissingAndHowToRunWhenNoDockerEngineIsReachable() {
        ConditionEvaluationResult result = new DockerEngine(() -> false).evaluate();

        assertThat(result.isDisabled()).isTrue();
        assertThat(result.getReason()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("no Docker engine reachable", "DOCKER_HOST", "docs/operations.md#container-tests"));
    }

    @Test
    void shouldSkipNamingTheCauseWhenLookingForADockerEngineFails() {
        ConditionEvaluationResult result = new DockerEngine(() -> {
            throw new IllegalStateException("socket /var/run/docker.sock: permission denied");
        }).evaluate();

        assertThat(result.isDisabled()).isTrue();
        assertThat(result.getReason()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("permission denied", "docs/operations.md#container-tests"));
    }

    /** On a machine without Docker (this build machine) the real container classes are reported skipped, not failed. */
    @Test
    void shouldReportEveryContainerTestClassSkippedWithTheReasonWhenThisMachineHasNoDockerEngine() {
        assumeFalse(DockerClientFactory.instance().isDockerAvailable(), "Docker is reachable: the classes run instead");

        for (Class<?> test : new Class<?>[] {ComposeStackIT.class, KafkaContainerFleetIT.class}) {
            EngineExecutionResults results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(test))
                    .execute();

            results.containerEvents().skipped().assertThatEvents().hasSize(1).first().satisfies(event ->
                    assertThat(event.getPayload(String.class)).hasValueSatisfying(reason -> assertThat(reason)
                            .contains("no Docker engine reachable", "docs/operations.md#container-tests")));
            assertThat(results.testEvents().started().count()).as(test.getSimpleName() + " tests started").isZero();
            assertThat(results.allEvents().failed().count()).as(test.getSimpleName() + " failures").isZero();
        }
    }
}

package io.streamfleet.drills.containers;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

import java.util.function.BooleanSupplier;

/**
 * Runs a container test only where Testcontainers finds a Docker engine, and otherwise skips it with a reason that
 * says what is missing and where the way to run it is written down (this build machine has no engine; CI and
 * developers with Docker run the same classes). Testcontainers' own {@code disabledWithoutDocker} stays on the
 * classes as well, but its reason ("Docker is not available") tells a reader nothing more.
 */
public final class DockerEngine implements ExecutionCondition {

    static final String HOW_TO_RUN = "docs/operations.md#container-tests";

    private final BooleanSupplier available;

    public DockerEngine() {
        this(() -> DockerClientFactory.instance().isDockerAvailable());
    }

    DockerEngine(BooleanSupplier available) {
        this.available = available;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return evaluate();
    }

    ConditionEvaluationResult evaluate() {
        try {
            if (available.getAsBoolean()) {
                return ConditionEvaluationResult.enabled("a Docker engine is reachable");
            }
            return ConditionEvaluationResult.disabled(skipReason("Testcontainers found none"));
        } catch (RuntimeException e) {
            return ConditionEvaluationResult.disabled(skipReason("looking for one failed: " + e));
        }
    }

    static String skipReason(String detail) {
        return "no Docker engine reachable (" + detail + "; start Docker or set DOCKER_HOST): this container "
                + "test needs one, see " + HOW_TO_RUN;
    }
}

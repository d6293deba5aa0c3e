package io.streamfleet.bench.cli;

import io.streamfleet.launcher.Fleet;

import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;

/**
 * The gateway's self-warm-up in the benchmarks' own fleets. It is on in the Helm chart and off in {@code ./fleet up};
 * the whole-fleet benchmarks turn it on by default, because a cold gateway refuses most of a 16 000 events/s first step
 * (docs/PERFORMANCE.md#twelfth-round-the-cold-first-step-2026-12-06-evening): the step's events then come too late to
 * warm the services behind it, and the next step measures their JIT instead of the fleet. Set
 * {@code STREAMFLEET_GATEWAY_WARM_UP_ENABLED=false} (inherited by every service) to start the gateway cold, or give
 * the gateway JVM options of your own ({@code -Dstreamfleet.fleet.extra-jvm-options.ingest-gateway=...}).
 */
final class BenchFleetWarmUp {

    static final String ENV = "STREAMFLEET_GATEWAY_WARM_UP_ENABLED";
    static final String GATEWAY_OPTIONS = Fleet.EXTRA_JVM_OPTIONS + "ingest-gateway";
    static final String ON = "-Dstreamfleet.gateway.warm-up.enabled=true";

    private BenchFleetWarmUp() {
    }

    /**
     * The gateway JVM option that turns the warm-up on, unless the environment already decides it or the gateway
     * already has options of its own (then nothing is added).
     */
    static Optional<String> gatewayOption(Map<String, String> env, String gatewayOptions) {
        if (env.containsKey(ENV) || (gatewayOptions != null && !gatewayOptions.isBlank())) {
            return Optional.empty();
        }
        return Optional.of(ON);
    }

    /** Applies {@link #gatewayOption} to this JVM's system properties (read by the launcher) and says what it did. */
    static void apply(PrintStream out) {
        Optional<String> option = gatewayOption(System.getenv(), System.getProperty(GATEWAY_OPTIONS));
        if (option.isPresent()) {
            System.setProperty(GATEWAY_OPTIONS, option.get());
            out.println("gateway self-warm-up: on (readiness up to 60 s later; " + ENV
                    + "=false starts it cold)");
        } else {
            out.println("gateway self-warm-up: as set (" + ENV + "=" + System.getenv().getOrDefault(ENV, "unset")
                    + ", gateway JVM options '" + System.getProperty(GATEWAY_OPTIONS, "") + "')");
        }
    }
}

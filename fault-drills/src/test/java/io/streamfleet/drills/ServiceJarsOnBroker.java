package io.streamfleet.drills;

import io.streamfleet.launcher.FleetLayout;
import io.streamfleet.launcher.ServiceSpec;
import io.streamfleet.launcher.process.Ports;
import io.streamfleet.testkit.process.ServiceProcess;
import io.streamfleet.testkit.process.ServiceProcesses;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The five service jars as processes against a broker the launcher did not start (a container, a SASL_SSL broker),
 * pointed at it only through the environment an operator would set, free ports, each awaited until ready.
 */
public final class ServiceJarsOnBroker {

    public static final Duration READY = Duration.ofSeconds(180);

    private final FleetLayout layout;
    private final String apiKey;
    private final Map<String, String> brokerEnv;
    private final Supplier<String> brokerLog;
    private final ServiceProcesses processes;

    /** {@code brokerEnv}: how every service reaches the broker; {@code brokerLog}: shown when a service fails. */
    public ServiceJarsOnBroker(FleetLayout layout, String apiKey, Map<String, String> brokerEnv,
                               Supplier<String> brokerLog, ServiceProcesses processes) {
        this.layout = layout;
        this.apiKey = apiKey;
        this.brokerEnv = Map.copyOf(brokerEnv);
        this.brokerLog = brokerLog;
        this.processes = processes;
    }

    /** Starts a service's jar on a free port as {@code part} (its log's and state directory's name). */
    public ServiceProcess launch(ServiceSpec spec, String part, Map<String, String> extraEnv) {
        int port = Ports.freePort();
        Map<String, String> env = new HashMap<>(brokerEnv);
        env.putAll(extraEnv);
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("SPRING_PROFILES_ACTIVE", "local");
        if (spec.streams()) {
            env.put("STREAMFLEET_STATE_DIR", layout.stateDir(part).toString());
        }
        if (spec.usesApiKeys()) {
            env.put("STREAMFLEET_SECURITY_DEV_KEY", apiKey);
        }
        return processes.start(ServiceProcess.jar(layout.repoRoot().resolve(spec.jarPath())).name(part)
                .logDir(layout.logs()).workDir(layout.repoRoot()).httpPort(port).env(env)
                .jvmArgs("-Xms64m", "-Xmx" + (spec.streams() ? "512m" : "384m"), "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError")
                .diagnostics(() -> "broker:\n" + brokerLog.get()));
    }

    /** Every service of the layout, started at once and each awaited until ready; by service name. */
    public Map<String, ServiceProcess> launchAllReady(Map<String, String> extraEnv) {
        Map<String, ServiceProcess> started = new LinkedHashMap<>();
        for (ServiceSpec spec : layout.services()) {
            started.put(spec.name(), launch(spec, spec.name(), extraEnv));
        }
        started.values().forEach(process -> process.awaitReady(READY));
        return started;
    }

    /** The episode check ({@link EpisodeOnTheFeed}) against these services' ports. */
    public void assertEpisodeComesOutOnTheFeed(ServiceProcess gateway, ServiceProcess alertApi, String accountPrefix)
            throws Exception {
        EpisodeOnTheFeed.assertArrives(URI.create("http://localhost:" + gateway.port() + "/v1/orders"),
                URI.create("http://localhost:" + alertApi.port() + "/v1/alerts/stream"), apiKey, accountPrefix,
                Duration.ofSeconds(90));
    }
}

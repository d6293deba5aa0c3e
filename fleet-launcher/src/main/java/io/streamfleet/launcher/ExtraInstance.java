package io.streamfleet.launcher;

import io.streamfleet.launcher.process.HealthProbe;
import io.streamfleet.launcher.process.ManagedProcess;
import io.streamfleet.launcher.process.Ports;

import java.time.Duration;
import java.util.Map;

/**
 * One more instance of a Streams service next to the one {@link Fleet#up} started, as a part of its own named
 * {@code <service>-<n>}: its own instance id, state directory and free port (docs/recovery.md, "Two instances
 * locally"), the service's jar (with its start-up archive when usable) and JVM options, a log and a pid file beside
 * the fleet's. {@link Fleet#down} does not know it: whoever starts one stops it.
 *
 * @param name    part name, also the instance id
 * @param port    HTTP port (actuator)
 * @param process the running process
 */
public record ExtraInstance(String name, int port, ManagedProcess process) {

    private static final Duration START = Duration.ofSeconds(150);
    private static final Duration STOP = Duration.ofSeconds(40);

    /** Starts instance {@code n} (2 or more) of a Streams service and waits until it is ready. */
    public static ExtraInstance start(Fleet fleet, String service, int n) {
        FleetLayout layout = fleet.layout();
        ServiceSpec base = layout.service(service);
        if (!base.streams() || n < 2) {
            throw new IllegalArgumentException("extra instances are for Streams services, numbered from 2: "
                    + service + " " + n);
        }
        String name = service + "-" + n;
        ServiceSpec spec = base.withPort(Ports.freePort());
        Map<String, String> env = env(fleet, spec, name);
        ManagedProcess process = new ManagedProcess(name, layout.logs(), layout.pids());
        ProcessHandle handle = process.start(fleet.serviceJvmArgs(base),
                StartupArchives.of(layout, base).launchArgs(StartupArchives.of(layout, base).usable()), env,
                layout.repoRoot(), fleet.cpuPriority(base));
        long deadline = System.nanoTime() + START.toNanos();
        while (!"UP".equals(HealthProbe.readiness(spec.port()))) {
            if (!handle.isAlive() || System.nanoTime() > deadline) {
                process.stop(STOP);
                throw new IllegalStateException(name + (handle.isAlive() ? " not ready within " + START.toSeconds()
                        + " s" : " exited during start-up") + "; last log lines (" + process.logFile() + "):\n"
                        + process.logTail(40));
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.stop(STOP);
                throw new IllegalStateException("interrupted while starting " + name, e);
            }
        }
        return new ExtraInstance(name, spec.port(), process);
    }

    /** The service's environment with this instance's port, instance id and state directory (for tests). */
    static Map<String, String> env(Fleet fleet, ServiceSpec spec, String name) {
        Map<String, String> env = fleet.serviceEnv(spec, DevApiKey.loadOrCreate(fleet.layout().devKeyFile()));
        env.put("STREAMFLEET_STATE_DIR", fleet.layout().stateDir(name).toString());
        env.put("STREAMFLEET_STREAMS_INSTANCE_ID", name);
        return env;
    }

    /** Stops the instance gracefully (SIGTERM), forcibly after 40 s; true when it stopped in time. */
    public boolean stop() {
        return process.stop(STOP);
    }
}

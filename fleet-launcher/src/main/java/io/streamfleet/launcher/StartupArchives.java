package io.streamfleet.launcher;

import io.streamfleet.launcher.process.ManagedProcess;
import io.streamfleet.launcher.process.Ports;
import io.streamfleet.launcher.startup.ArchiveTrainer;
import io.streamfleet.launcher.startup.StartupArchive;

import java.io.PrintStream;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Creates the services' start-up archives ({@code ./fleet archives}, run by {@code ./fleet build}): one training run
 * per service whose archive is missing or stale, one after the other (each run is a whole Spring start). A service that
 * runs is skipped: its archive and extracted jar are in use. Docs: docs/recovery.md, "Start-up time".
 */
final class StartupArchives {

    private final FleetLayout layout;
    private final PrintStream out;
    private final Function<ServiceSpec, List<String>> jvmOptions;
    private final Function<ServiceSpec, Map<String, String>> serviceEnv;

    StartupArchives(FleetLayout layout, PrintStream out, Function<ServiceSpec, List<String>> jvmOptions,
                    Function<ServiceSpec, Map<String, String>> serviceEnv) {
        this.layout = layout;
        this.out = out;
        this.jvmOptions = jvmOptions;
        this.serviceEnv = serviceEnv;
    }

    static StartupArchive of(FleetLayout layout, ServiceSpec service) {
        return StartupArchive.forJar(layout.repoRoot().resolve(service.jarPath()));
    }

    /** Makes every missing or stale archive; true when every service has a usable one afterwards. */
    boolean prepare() {
        ArchiveTrainer trainer = new ArchiveTrainer(ManagedProcess.javaBinary());
        boolean all = true;
        for (ServiceSpec service : layout.services()) {
            StartupArchive archive = of(layout, service);
            if (!Files.exists(archive.jar())) {
                out.printf("  %-18s no jar (%s): skipped%n", service.name(), service.jarPath());
                all = false;
            } else if (archive.usable()) {
                out.printf("  %-18s start-up archive up to date%n", service.name());
            } else if (new ManagedProcess(service.name(), layout.logs(), layout.pids()).running().isPresent()) {
                out.printf("  %-18s running: skipped (its archive is in use; stop the fleet first)%n", service.name());
                all = false;
            } else {
                long started = System.nanoTime();
                ArchiveTrainer.Outcome outcome = trainer.create(archive, jvmOptions.apply(service),
                        trainingEnv(service));
                out.printf("  %-18s %s in %.0f s%n", service.name(),
                        outcome.created() ? outcome.detail() : "no start-up archive: " + outcome.detail(),
                        (System.nanoTime() - started) / 1e9);
                all &= outcome.created();
            }
        }
        return all;
    }

    /**
     * The service's own environment, but with a loopback port where nothing listens as its broker, a throw-away state
     * folder and an ephemeral HTTP port: the run stops before any of them is used for real.
     */
    Map<String, String> trainingEnv(ServiceSpec service) {
        Map<String, String> env = new HashMap<>(serviceEnv.apply(service));
        env.put("SERVER_PORT", "0");
        env.put("STREAMFLEET_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + Ports.freePort());
        if (service.streams()) {
            env.put("STREAMFLEET_STATE_DIR", of(layout, service).dir().resolve("training-state").toString());
        }
        // alert-api holds its start until its topic views caught up (bounded, 60 s by default): nothing to catch up here
        env.put("STREAMFLEET_ALERTS_STARTUP_WAIT", "0s");
        // without a broker the clients retry in a loop; their complaints would only fill the training log
        env.put("LOGGING_LEVEL_ORG_APACHE_KAFKA", "ERROR");
        return env;
    }
}

package io.streamfleet.launcher;

import io.streamfleet.launcher.process.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StartupArchivesTest {

    @TempDir
    Path repo;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
    private final FleetLayout layout = FleetLayout.defaults(Path.of("/repo")).withPorts(Ports.freePort(),
            Ports.freePort());
    private final Fleet fleet = new Fleet(layout, out);

    @Test
    void shouldKeepEachServiceArchiveInTheTargetFolderOfItsModule() {
        assertThat(StartupArchives.of(layout, layout.service("alert-api")).dir())
                .isEqualTo(Path.of("/repo/alert-api/target/startup"));
    }

    @Test
    void shouldTrainWithTheServiceEnvironmentButNoBrokerNoFleetStateAndNoFixedPort() {
        StartupArchives archives = archives();
        for (ServiceSpec service : layout.services()) {
            Map<String, String> env = archives.trainingEnv(service);
            Map<String, String> serviceEnv = fleet.serviceEnv(service, "sf_dev_key");

            assertThat(env.get("STREAMFLEET_KAFKA_BOOTSTRAP_SERVERS")).as(service.name())
                    .startsWith("127.0.0.1:").isNotEqualTo(layout.bootstrapServers());
            assertThat(env).as(service.name()).containsEntry("SERVER_PORT", "0")
                    .containsEntry("SPRING_PROFILES_ACTIVE", serviceEnv.get("SPRING_PROFILES_ACTIVE"));
            if (service.streams()) {
                assertThat(env).as(service.name())
                        .containsEntry("STREAMFLEET_STATE_DIR",
                                "/repo/" + service.name() + "/target/startup/training-state")
                        .containsEntry("STREAMFLEET_STREAMS_INSTANCE_ID", service.name());
            }
        }
        assertThat(archives.trainingEnv(layout.service("alert-api")))
                .containsEntry("STREAMFLEET_ALERTS_STARTUP_WAIT", "0s");
    }

    @Test
    void shouldTrainWithTheJvmOptionsTheServiceRunsWith() {
        ServiceSpec processor = layout.service("stream-processor");
        assertThat(fleet.serviceJvmArgs(processor)).contains("-Xmx512m", "-XX:+UseSerialGC");
    }

    @Test
    void shouldSkipServicesWithoutAJarAndSayThatNotEveryArchiveIsThere() {
        Fleet empty = new Fleet(FleetLayout.defaults(repo), out);

        assertThat(empty.prepareStartupArchives()).isFalse();

        assertThat(output.toString(StandardCharsets.UTF_8))
                .contains("stream-processor").contains("no jar (stream-processor/target/stream-processor-exec.jar)")
                .contains("ingest-gateway");
    }

    private StartupArchives archives() {
        return new StartupArchives(layout, out, fleet::serviceJvmArgs, s -> fleet.serviceEnv(s, "sf_dev_key"));
    }
}

package io.streamfleet.launcher;

import io.streamfleet.launcher.broker.BrokerSettings;
import io.streamfleet.launcher.process.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FleetLauncherTest {

    @TempDir
    Path repo;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
    private final ByteArrayOutputStream errors = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errors, true, StandardCharsets.UTF_8);

    @Test
    void shouldExitWithUsageErrorOnStderrWhenCommandIsMissingOrUnknown() {
        assertThat(run(new String[0], layout())).isEqualTo(2);
        assertThat(run(new String[]{"launch"}, layout())).isEqualTo(2);
        assertThat(stderr()).contains("unknown command 'launch'").contains("usage:");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void shouldRejectUnknownOptionsOfUpOnStderr() {
        assertThat(run(new String[]{"up", "--fast"}, layout())).isEqualTo(2);
        assertThat(run(new String[]{"up", "--no-gateway", "--no-gatway"}, layout())).isEqualTo(2);
        assertThat(stderr()).contains("unknown option '--fast' for up")
                .contains("unknown option '--no-gatway' for up").contains("usage:");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void shouldRejectOptionsOfStatusAndDown() {
        assertThat(run(new String[]{"status", "--no-gateway"}, layout())).isEqualTo(2);
        assertThat(run(new String[]{"down", "--force"}, layout())).isEqualTo(2);
        assertThat(stderr()).contains("unknown option '--no-gateway' for status")
                .contains("unknown option '--force' for down");
    }

    @Test
    void shouldListTheNoGatewayFlagInHelp() {
        assertThat(run(new String[]{"help"}, layout())).isZero();
        assertThat(stdout()).contains("up [--detach] [--no-demo] [--no-gateway]")
                .contains("--no-gateway replay mode").contains("fleet-bench replay");
    }

    @Test
    void shouldListTheArchivesCommandInHelpAndRejectOptionsOfIt() {
        assertThat(run(new String[]{"help"}, layout())).isZero();
        assertThat(stdout()).contains("archives").contains("start-up archives");
        assertThat(run(new String[]{"archives", "--all"}, layout())).isEqualTo(2);
        assertThat(stderr()).contains("unknown option '--all' for archives");
    }

    @Test
    void shouldListBuildInHelpAndLeaveItToTheScript() {
        assertThat(run(new String[]{"help"}, layout())).isZero();
        assertThat(stdout()).containsPattern("(?m)^  build +\\(re\\)build all jars").containsPattern("(?m)^  archives ");
        assertThat(run(new String[]{"build"}, layout())).isEqualTo(2);
        assertThat(stderr()).contains("'build' runs Maven and is done by the ./fleet script");
    }

    @Test
    void shouldFailOnStderrWhenSomeStartupArchiveCannotBeMade() {
        assertThat(run(new String[]{"archives"}, layout())).isEqualTo(1);
        assertThat(stdout()).contains("no jar");
        assertThat(stderr()).contains("fleet: some start-up archives were not made");
    }

    @Test
    void shouldStartGatewayAndDemoTrafficWhenUpHasNoOptions() {
        assertThat(FleetLauncher.UpOptions.parse(List.of()))
                .isEqualTo(new FleetLauncher.UpOptions(false, true, true));
        assertThat(FleetLauncher.UpOptions.parse(List.of("--detach", "--no-demo")))
                .isEqualTo(new FleetLauncher.UpOptions(true, false, true));
    }

    @Test
    void shouldLeaveOutDemoTrafficWhenGatewayIsLeftOutWithOrWithoutNoDemo() {
        assertThat(FleetLauncher.UpOptions.parse(List.of("--no-gateway")))
                .isEqualTo(new FleetLauncher.UpOptions(false, false, false));
        assertThat(FleetLauncher.UpOptions.parse(List.of("--no-gateway", "--no-demo", "--detach")))
                .isEqualTo(new FleetLauncher.UpOptions(true, false, false));
    }

    @Test
    void shouldStartEveryServiceWithTheGatewayAndAllButTheGatewayWithout() {
        Fleet fleet = new Fleet(layout(), out);
        assertThat(fleet.servicesToStart(true)).extracting(ServiceSpec::name).containsExactly(
                "stream-processor", "cep-detector", "session-analytics", "alert-api", "ingest-gateway");
        assertThat(fleet.servicesToStart(false)).extracting(ServiceSpec::name).containsExactly(
                "stream-processor", "cep-detector", "session-analytics", "alert-api");
    }

    @Test
    void shouldRefuseToStartWhenAPortIsInUseOrJarsAreMissing() throws Exception {
        try (ServerSocket busy = new ServerSocket(0)) {
            FleetLayout layout = layout().withKafkaPort(busy.getLocalPort());
            int code = run(new String[]{"up", "--detach"}, layout);
            assertThat(code).isEqualTo(1);
        }
        assertThat(stderr()).contains("Cannot start the fleet")
                .contains("is already in use")
                .contains("missing ingest-gateway/target/ingest-gateway-exec.jar");
        assertThat(Files.exists(repo.resolve(".fleet/kafka"))).isFalse();
    }

    @Test
    void shouldNeitherNeedTheGatewayJarNorItsPortWhenTheGatewayIsLeftOut() throws Exception {
        try (ServerSocket busy = new ServerSocket(0)) {
            FleetLayout base = layout();
            List<ServiceSpec> services = base.services().stream()
                    .map(s -> s.name().equals(Fleet.GATEWAY) ? s.withPort(busy.getLocalPort()) : s).toList();
            Fleet fleet = new Fleet(new FleetLayout(repo, base.fleetDir(), base.kafkaPort(), base.controllerPort(),
                    services), out);

            assertThat(String.join("\n", fleet.preflight(true))).contains("ingest-gateway");
            assertThat(fleet.preflight(false)).isNotEmpty().noneMatch(p -> p.contains("ingest-gateway"))
                    .anyMatch(p -> p.contains("missing alert-api/target/alert-api-exec.jar"));
        }
    }

    @Test
    void shouldReportEveryPartStoppedWhenNothingRuns() {
        assertThat(run(new String[]{"status"}, layout())).isEqualTo(1);
        assertThat(stdout()).contains("kafka").contains("ingest-gateway").contains("stopped")
                .doesNotContain("left out");
        assertThat(stderr()).contains("fleet: not every part is up");
        assertThat(run(new String[]{"down"}, layout())).isZero();
    }

    @Test
    void shouldReportGatewayAndDemoAsLeftOutNotStoppedAfterUpWithoutGatewayUntilDown() {
        FleetLayout layout = layout();
        new Fleet(layout, out).recordLeftOut(Set.of(Fleet.GATEWAY, Fleet.DEMO));

        Map<String, String> status = new Fleet(layout, out).status();
        assertThat(status).containsEntry("ingest-gateway", "left out (--no-gateway)")
                .containsEntry("demo-traffic", "left out (--no-gateway)")
                .containsEntry("alert-api", "stopped").containsEntry("kafka", "stopped");
        assertThat(run(new String[]{"status"}, layout)).isEqualTo(1);
        assertThat(stdout()).containsPattern("ingest-gateway +left out \\(--no-gateway\\)");

        assertThat(run(new String[]{"down"}, layout)).isZero();
        assertThat(Files.exists(layout.leftOutFile())).isFalse();
        assertThat(new Fleet(layout, out).status()).containsEntry("ingest-gateway", "stopped")
                .containsEntry("demo-traffic", "stopped");
    }

    @Test
    void shouldCountTheFleetHealthyWithoutTheGatewayOnlyWhenItWasLeftOut() {
        Map<String, String> replayFleet = Map.of("kafka", "pid 1  UP", "stream-processor", "pid 2  UP",
                "alert-api", "pid 3  UP", "ingest-gateway", "left out (--no-gateway)",
                "demo-traffic", "left out (--no-gateway)");
        Map<String, String> gatewayDown = Map.of("kafka", "pid 1  UP", "stream-processor", "pid 2  UP",
                "alert-api", "pid 3  UP", "ingest-gateway", "stopped", "demo-traffic", "stopped");
        assertThat(Fleet.healthy(replayFleet)).isTrue();
        assertThat(Fleet.healthy(gatewayDown)).isFalse();
    }

    @Test
    void shouldRemoveTheLeftOutRecordWhenNoPartIsLeftOut() {
        Fleet fleet = new Fleet(layout(), out);
        fleet.recordLeftOut(Set.of(Fleet.GATEWAY, Fleet.DEMO));
        assertThat(fleet.leftOut()).containsExactlyInAnyOrder("ingest-gateway", "demo-traffic");
        fleet.recordLeftOut(Set.of());
        assertThat(fleet.leftOut()).isEmpty();
    }

    @Test
    void shouldConfigureTheBrokerForExactlyOnceOnOneNode() {
        String props = BrokerSettings.serverProperties(repo.resolve("data"), 19092, 19093);
        assertThat(props).contains("process.roles=broker,controller")
                .contains("transaction.state.log.replication.factor=1")
                .contains("transaction.state.log.min.isr=1")
                .contains("offsets.topic.replication.factor=1")
                .contains("listeners=PLAINTEXT://localhost:19092,CONTROLLER://localhost:19093");
    }

    @Test
    void shouldStartEachStreamsServiceAsAStaticGroupMemberNamedAfterTheService() {
        Fleet fleet = new Fleet(layout(), out);
        for (ServiceSpec service : fleet.servicesToStart(true)) {
            Map<String, String> env = fleet.serviceEnv(service, "sf_dev_key");
            if (service.streams()) {
                assertThat(env).as(service.name()).containsEntry("STREAMFLEET_STREAMS_INSTANCE_ID", service.name())
                        .containsEntry("STREAMFLEET_STATE_DIR", fleet.layout().stateDir(service.name()).toString());
            } else {
                assertThat(env).as(service.name()).doesNotContainKey("STREAMFLEET_STREAMS_INSTANCE_ID");
            }
        }
    }

    @Test
    void shouldGiveAnExtraInstanceItsOwnIdStateDirectoryAndPortWhenStartedNextToTheFleet() {
        Fleet fleet = new Fleet(layout(), out);
        ServiceSpec spec = fleet.layout().service("cep-detector").withPort(18182);

        Map<String, String> env = ExtraInstance.env(fleet, spec, "cep-detector-2");

        assertThat(env).containsEntry("STREAMFLEET_STREAMS_INSTANCE_ID", "cep-detector-2")
                .containsEntry("STREAMFLEET_STATE_DIR", fleet.layout().stateDir("cep-detector-2").toString())
                .containsEntry("SERVER_PORT", "18182")
                .containsEntry("STREAMFLEET_KAFKA_BOOTSTRAP_SERVERS", fleet.layout().bootstrapServers());
        assertThat(fleet.layout().stateDir("cep-detector-2")).isNotEqualTo(fleet.layout().stateDir("cep-detector"));
    }

    @Test
    void shouldRefuseAnExtraInstanceOfAServiceWithoutStreamsState() {
        Fleet fleet = new Fleet(layout(), out);

        assertThatThrownBy(() -> ExtraInstance.start(fleet, "alert-api", 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alert-api");
        assertThatThrownBy(() -> ExtraInstance.start(fleet, "cep-detector", 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldPointAlertApisConsoleAtTheOtherServicesWhereverTheLayoutPutThem() {
        FleetLayout moved = layout().withPorts(19092, 19093);
        Fleet fleet = new Fleet(moved, out);

        Map<String, String> env = fleet.serviceEnv(moved.service("alert-api"), "sf_dev_key");

        assertThat(env).containsEntry("STREAMFLEET_ALERTS_CONSOLE_SESSION_ANALYTICS_URL",
                "http://localhost:" + moved.service("session-analytics").port());
        assertThat(env).containsValues(
                "ingest-gateway=http://localhost:" + moved.service("ingest-gateway").port(),
                "stream-processor=http://localhost:" + moved.service("stream-processor").port(),
                "cep-detector=http://localhost:" + moved.service("cep-detector").port(),
                "session-analytics=http://localhost:" + moved.service("session-analytics").port());
        assertThat(fleet.serviceEnv(moved.service("cep-detector"), "sf_dev_key"))
                .doesNotContainKey("STREAMFLEET_ALERTS_CONSOLE_SESSION_ANALYTICS_URL");
    }

    @Test
    void shouldKeepTheDevelopmentKeyAcrossRuns() {
        Path file = repo.resolve(".fleet/dev-api-key");
        String first = DevApiKey.loadOrCreate(file);
        assertThat(first).startsWith("sf_dev_").hasSizeGreaterThan(30);
        assertThat(DevApiKey.loadOrCreate(file)).isEqualTo(first);
    }

    private int run(String[] args, FleetLayout layout) {
        return FleetLauncher.run(args, layout, out, err);
    }

    private String stdout() {
        return output.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return errors.toString(StandardCharsets.UTF_8);
    }

    private FleetLayout layout() {
        return FleetLayout.defaults(repo).withPorts(Ports.freePort(), Ports.freePort());
    }
}

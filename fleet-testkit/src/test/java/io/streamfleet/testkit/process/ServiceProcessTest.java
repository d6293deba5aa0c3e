package io.streamfleet.testkit.process;

import io.streamfleet.launcher.process.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real child JVMs ({@link TinyReadinessServer}): readiness, failures that show the log, kill, graceful stop, clean-up. */
class ServiceProcessTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    final ServiceProcesses processes = new ServiceProcesses();

    @Test
    void shouldReturnOnceTheReadinessGroupSaysUpWhenTheServiceIsReady() {
        ServiceProcess service = server("UP", "ready").awaitReady(WAIT);

        assertThat(service.isAlive()).isTrue();
        assertThat(service.get("/actuator/health/readiness").body()).contains("UP");
        assertThat(service.log()).contains("listening on " + service.port());
    }

    @Test
    void shouldFailWithTheLogTailWhenTheProcessExitsBeforeItIsReady() {
        ServiceProcess service = processes.start(ServiceProcess.mainClass(TinyReadinessServer.class)
                .name("tiny-server-exits-" + System.nanoTime()).httpPort(Ports.freePort())
                .args("fail", "cannot reach the broker")
                .diagnostics(() -> "broker log: nothing"));

        assertThatThrownBy(() -> service.awaitReady(WAIT)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("exited while waiting for readiness UP")
                .hasMessageContaining("cannot reach the broker")
                .hasMessageContaining("broker log: nothing");
    }

    @Test
    void shouldFailWithTheLastStatusWhenReadinessNeverComes() {
        ServiceProcess service = server("DOWN", "down");

        assertThatThrownBy(() -> service.awaitReady(Duration.ofSeconds(3))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("not UP");
        assertThat(service.awaitReadiness("DOWN", WAIT).isAlive()).isTrue();
    }

    @Test
    void shouldEndTheProcessWithoutItsShutdownHookWhenKilled() {
        ServiceProcess service = server("UP", "killed").awaitReady(WAIT);

        service.kill();

        assertThat(service.isAlive()).isFalse();
        assertThat(service.log()).doesNotContain("stopping");
    }

    @Test
    void shouldRunTheShutdownHookWhenStoppedGracefully() {
        ServiceProcess service = server("UP", "stopped").awaitReady(WAIT);

        assertThat(service.stop(Duration.ofSeconds(20))).as("ended within the timeout").isTrue();

        assertThat(service.isAlive()).isFalse();
        assertThat(service.log()).contains("stopping");
    }

    @Test
    void shouldStopEveryProcessStillRunningWhenTheTestEnds() {
        ServiceProcesses own = new ServiceProcesses();
        ServiceProcess first = own.start(tinyServer("UP", "left-1"));
        ServiceProcess second = own.start(tinyServer("UP", "left-2"));
        first.awaitReady(WAIT);
        second.awaitReady(WAIT);

        own.stopAll();

        assertThat(first.isAlive()).isFalse();
        assertThat(second.isAlive()).isFalse();
    }

    private ServiceProcess server(String status, String name) {
        return processes.start(tinyServer(status, name));
    }

    private static ServiceProcessBuilder tinyServer(String status, String name) {
        int port = Ports.freePort();
        return ServiceProcess.mainClass(TinyReadinessServer.class).name("tiny-server-" + name + "-" + System.nanoTime())
                .httpPort(port).jvmArgs("-Xmx32m", "-XX:TieredStopAtLevel=1").args(Integer.toString(port), status);
    }
}

package io.streamfleet.launcher;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class FleetJvmArgsTest {

    private static final String GATEWAY_EXTRA = Fleet.EXTRA_JVM_OPTIONS + Fleet.GATEWAY;

    private final FleetLayout layout = FleetLayout.defaults(Path.of("/repo"));
    private final Fleet fleet = new Fleet(layout, new PrintStream(OutputStream.nullOutputStream()));

    @AfterEach
    void clearProperty() {
        System.clearProperty(GATEWAY_EXTRA);
    }

    @Test
    void shouldSplitExtraOptionsOnWhitespaceAndIgnoreABlankList() {
        assertThat(Fleet.extraJvmArgs("  -XX:CICompilerCount=3 \t -XX:+AlwaysPreTouch ")).containsExactly(
                "-XX:CICompilerCount=3", "-XX:+AlwaysPreTouch");
        assertThat(Fleet.extraJvmArgs("   ")).isEmpty();
        assertThat(Fleet.extraJvmArgs("")).isEmpty();
    }

    @Test
    void shouldGiveExtraOptionsToTheNamedServiceOnlyAfterItsOwn() {
        System.setProperty(GATEWAY_EXTRA, "-XX:CICompilerCount=3");

        assertThat(fleet.serviceJvmArgs(layout.service(Fleet.GATEWAY))).startsWith("-Xms192m", "-Xmx384m", "-Xmn96m")
                .endsWith("-XX:CICompilerCount=3");
        assertThat(fleet.serviceJvmArgs(layout.service("stream-processor")))
                .doesNotContain("-XX:CICompilerCount=3");
    }

    @Test
    void shouldRunWithItsOwnOptionsOnlyWithoutTheProperty() {
        assertThat(fleet.serviceJvmArgs(layout.service(Fleet.GATEWAY))).containsExactly("-Xms192m", "-Xmx384m",
                "-Xmn96m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
                "-Dstreamfleet.fleet.dir=" + layout.fleetDir());
    }
}

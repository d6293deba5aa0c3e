package io.streamfleet.launcher.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CpuPriorityTest {

    @TempDir
    Path dir;

    @Test
    void shouldLowerTheStreamsServicesByDefault() {
        assertThat(CpuPriority.streamsFrom(Map.of())).isEqualTo(new CpuPriority(CpuPriority.LOCAL_STREAMS_NICE));
        assertThat(CpuPriority.streamsFrom(Map.of(CpuPriority.STREAMS_NICE_VARIABLE, " "))).isEqualTo(
                new CpuPriority(CpuPriority.LOCAL_STREAMS_NICE));
    }

    @Test
    void shouldTakeTheNiceValueFromTheEnvironmentAndZeroAsOff() {
        assertThat(CpuPriority.streamsFrom(Map.of(CpuPriority.STREAMS_NICE_VARIABLE, " 5 ")).nice()).isEqualTo(5);
        CpuPriority off = CpuPriority.streamsFrom(Map.of(CpuPriority.STREAMS_NICE_VARIABLE, "0"));
        assertThat(off.lowered()).isFalse();
        assertThat(off.commandPrefix()).isEmpty();
    }

    @Test
    void shouldRejectAValueThatIsNoNiceValueNamingTheVariable() {
        assertThatThrownBy(() -> CpuPriority.streamsFrom(Map.of(CpuPriority.STREAMS_NICE_VARIABLE, "low")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("STREAMFLEET_FLEET_STREAMS_NICE must be a whole number from 0 to 19, was 'low'");
        assertThatThrownBy(() -> CpuPriority.streamsFrom(Map.of(CpuPriority.STREAMS_NICE_VARIABLE, "-5")))
                .hasMessage("STREAMFLEET_FLEET_STREAMS_NICE must be from 0 (as the gateway) to 19, was -5");
        assertThatThrownBy(() -> CpuPriority.streamsFrom(Map.of(CpuPriority.STREAMS_NICE_VARIABLE, "20")))
                .hasMessageContaining("was 20");
        assertThatThrownBy(() -> new CpuPriority(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldStartALoweredProcessUnderNiceWhereTheCommandExists() {
        if (Files.isExecutable(Path.of("/usr/bin/nice"))) {
            assertThat(new CpuPriority(7).commandPrefix()).containsExactly("/usr/bin/nice", "-n", "7");
        } else {
            assertThat(new CpuPriority(7).commandPrefix()).isEmpty();
        }
    }

    @Test
    void shouldReadTheGroupNameOfAnAutogroupLineAndNothingOfAMissingFile() throws IOException {
        Path line = Files.writeString(dir.resolve("autogroup"), "/autogroup-4711 nice 0\n");
        assertThat(CpuPriority.groupName(line)).contains("/autogroup-4711");
        assertThat(CpuPriority.groupName(dir.resolve("missing"))).isEmpty();
        assertThat(CpuPriority.groupName(Files.writeString(dir.resolve("empty"), ""))).isEmpty();
    }
}

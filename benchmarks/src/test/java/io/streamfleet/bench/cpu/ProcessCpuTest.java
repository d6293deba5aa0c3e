package io.streamfleet.bench.cpu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ProcessCpuTest {

    @Test
    void shouldAddUserAndSystemTicksCountingFieldsAfterACommandNameWithSpacesAndParentheses() {
        String line = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 30 0 123 456 789";

        assertThat(ProcessCpu.parseCpuNanos(line)).isEqualTo((250 + 75) * 10_000_000L);
    }

    @Test
    void shouldRefuseALineThatIsNotAStatLine() {
        assertThatThrownBy(() -> ProcessCpu.parseCpuNanos("garbage")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldMeasureTheCpuAPartBurnsThroughItsPidFile(@TempDir Path pids) throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "needs Linux /proc");
        Files.writeString(pids.resolve("bench-itself.pid"), Long.toString(ProcessHandle.current().pid()));
        Files.writeString(pids.resolve("gone.pid"), "999999999");

        FleetCpu cpu = FleetCpu.start(pids);
        // spin until this process has burnt 0.3 s of CPU (wall time would not do: on a loaded machine a thread may
        // get a small share of a core), giving up after 30 s
        long self = ProcessHandle.current().pid();
        long from = ProcessCpu.cpuNanos(self).orElseThrow();
        long giveUp = System.nanoTime() + 30_000_000_000L;
        long spin = 0;
        while (ProcessCpu.cpuNanos(self).orElseThrow() - from < 300_000_000L && System.nanoTime() < giveUp) {
            for (int i = 0; i < 100_000; i++) {
                spin += Long.numberOfTrailingZeros(spin + System.nanoTime());
            }
        }
        var parts = cpu.stop(1_000);

        assertThat(spin).isNotZero();
        assertThat(cpu.parts()).containsExactly("bench-itself", FleetCpu.DRIVER);
        assertThat(parts).filteredOn(FleetCpu.PartCpu::isDriver).singleElement().as("this JVM, measured as the driver")
                .satisfies(p -> assertThat(p.cpuSeconds()).isGreaterThan(0.15));
        assertThat(parts).filteredOn(p -> !p.isDriver()).singleElement().satisfies(p -> {
            assertThat(p.cpuSeconds()).isGreaterThan(0.15);
            assertThat(p.microsPerEvent()).isEqualTo(p.cpuSeconds() * 1e6 / 1_000);
            assertThat(p.jitSeconds()).isBetween(0.0, p.cpuSeconds());
            assertThat(p.gcSeconds()).isBetween(0.0, p.cpuSeconds());
            assertThat(p.rocksdbSeconds()).as("no RocksDB in this JVM").isZero();
            assertThat(p.microsPerEventWithoutJit()).isBetween(0.0, p.microsPerEvent());
        });
    }

    @Test
    void shouldMeasureNoDriverWhenThereIsNoFleetToMeasure(@TempDir Path pids) {
        assertThat(FleetCpu.start(pids).parts()).isEmpty();
    }
}

package io.streamfleet.bench.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.streamfleet.bench.cpu.ThreadRoles.Role;
import io.streamfleet.bench.cpu.ThreadRoles.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadRolesTest {

    @Test
    void shouldTellCompilerCollectorAndRocksDbThreadsFromTheApplicationsByTheirNames() {
        assertThat(ThreadRoles.of("C2 CompilerThre")).isEqualTo(Role.JIT);
        assertThat(ThreadRoles.of("C1 CompilerThre")).isEqualTo(Role.JIT);
        assertThat(ThreadRoles.of("VM Thread")).isEqualTo(Role.GC_VM);
        assertThat(ThreadRoles.of("GC Thread#1")).isEqualTo(Role.GC_VM);
        assertThat(ThreadRoles.of("G1 Conc#0")).isEqualTo(Role.GC_VM);
        assertThat(ThreadRoles.of("VM Periodic Tas")).isEqualTo(Role.GC_VM);
        assertThat(ThreadRoles.of("rocksdb:high")).isEqualTo(Role.ROCKSDB);
        assertThat(ThreadRoles.of("rocksdb:low")).isEqualTo(Role.ROCKSDB);
        assertThat(ThreadRoles.of("rocksdb:bottom")).isEqualTo(Role.ROCKSDB);
        assertThat(ThreadRoles.of("rocksdb-restore")).isEqualTo(Role.APP);
        assertThat(ThreadRoles.of("streamfleet-str")).isEqualTo(Role.APP);
        assertThat(ThreadRoles.of("kafka-producer-")).isEqualTo(Role.APP);
        assertThat(ThreadRoles.of("reactor-http-ep")).isEqualTo(Role.APP);
    }

    @Test
    void shouldReadTheThreadNameEvenWhenItHoldsSpacesAndParentheses() {
        String line = "4242 (C2 (Compiler) x) S 1 2 3 4 5 6 7 8 9 10 250 75 0 0 20 0 1 0";

        assertThat(ThreadRoles.name(line)).isEqualTo("C2 (Compiler) x");
        assertThatThrownBy(() -> ThreadRoles.name("garbage")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldCountOnlyWhatEachLiveThreadUsedBetweenTwoSamplesAndLeaveEndedThreadsOut() {
        Map<Long, Sample> from = Map.of(1L, new Sample(Role.APP, 1_000_000_000L),
                2L, new Sample(Role.JIT, 500_000_000L), 3L, new Sample(Role.GC_VM, 100_000_000L));
        Map<Long, Sample> to = Map.of(1L, new Sample(Role.APP, 3_000_000_000L),
                2L, new Sample(Role.JIT, 1_500_000_000L), 4L, new Sample(Role.JIT, 250_000_000L));

        Map<Role, Double> seconds = ThreadRoles.secondsBetween(from, to);

        assertThat(seconds).containsEntry(Role.APP, 2.0).containsEntry(Role.JIT, 1.25).containsEntry(Role.GC_VM, 0.0)
                .containsEntry(Role.ROCKSDB, 0.0);
    }

    @Test
    void shouldSampleEveryThreadOfThisJvmWithTheApplicationThreadsBurningCpu() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/task")), "needs Linux /proc");
        long pid = ProcessHandle.current().pid();

        Map<Long, Sample> threads = ThreadRoles.sample(pid);

        assertThat(threads).hasSizeGreaterThan(3);
        assertThat(threads.values()).anyMatch(s -> s.role() == Role.APP && s.cpuNanos() > 0);
        assertThat(threads.values().stream().mapToLong(Sample::cpuNanos).sum())
                .isLessThanOrEqualTo(ProcessCpu.cpuNanos(pid).orElseThrow() + 10_000_000L * threads.size());
        assertThat(ThreadRoles.sample(999_999_999L)).isEmpty();
    }
}

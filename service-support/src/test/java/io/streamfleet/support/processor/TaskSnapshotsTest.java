package io.streamfleet.support.processor;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class TaskSnapshotsTest {

    record Snapshot(long open, long streamTimeMs) {
    }

    private final TaskSnapshots<Snapshot> tasks = new TaskSnapshots<>();
    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(10_000), ZoneOffset.UTC);

    @Test
    void shouldSumTheLatestSnapshotOfEachTask() {
        tasks.report("0_0", new Snapshot(3, 1_000));
        tasks.report("0_1", new Snapshot(4, 2_000));
        tasks.report("0_0", new Snapshot(5, 1_500));

        assertThat(tasks.sum(Snapshot::open)).isEqualTo(9.0);
        assertThat(tasks.min(Snapshot::open, 0)).isEqualTo(4);
        assertThat(tasks.max(Snapshot::streamTimeMs, Long.MIN_VALUE)).isEqualTo(2_000);
        assertThat(tasks.get("0_0")).isEqualTo(new Snapshot(5, 1_500));
    }

    @Test
    void shouldDropAClosedTaskFromEveryAggregate() {
        tasks.report("0_0", new Snapshot(3, 1_000));
        tasks.report("0_1", new Snapshot(4, 2_000));

        tasks.forget("0_0");
        tasks.forget(null);

        assertThat(tasks.sum(Snapshot::open)).isEqualTo(4.0);
        assertThat(tasks.lagMs(clock, Snapshot::streamTimeMs)).isEqualTo(8_000.0);
        assertThat(tasks.get("0_0")).isNull();
    }

    @Test
    void shouldMeasureLagFromTheOldestKnownTimeAndIgnoreTasksThatDoNotKnowTheirsYet() {
        tasks.report("0_0", new Snapshot(0, Long.MIN_VALUE));
        assertThat(tasks.lagMs(clock, Snapshot::streamTimeMs)).as("no task knows its time").isZero();

        tasks.report("0_1", new Snapshot(0, 7_000));
        tasks.report("0_2", new Snapshot(0, 9_000));
        assertThat(tasks.lagMs(clock, Snapshot::streamTimeMs)).isEqualTo(3_000.0);

        tasks.report("0_2", new Snapshot(0, 12_000));
        tasks.forget("0_1");
        assertThat(tasks.lagMs(clock, Snapshot::streamTimeMs)).as("ahead of the wall clock: never negative").isZero();
    }

    @Test
    void shouldReportNoneWhileNoTaskReported() {
        assertThat(tasks.sum(Snapshot::open)).isZero();
        assertThat(tasks.min(Snapshot::open, -1)).isEqualTo(-1);
        assertThat(tasks.max(Snapshot::open, -2)).isEqualTo(-2);
    }

    @Test
    void shouldExposeTheSumAsAGaugeThatFollowsReportsAndClosedTasks() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        tasks.sumGauge("open", Snapshot::open).tag("kind", "test").register(registry);

        tasks.report("0_0", new Snapshot(3, 0));
        tasks.report("0_1", new Snapshot(4, 0));
        assertThat(registry.get("open").tag("kind", "test").gauge().value()).isEqualTo(7.0);

        tasks.forget("0_1");
        assertThat(registry.get("open").gauge().value()).isEqualTo(3.0);
    }
}

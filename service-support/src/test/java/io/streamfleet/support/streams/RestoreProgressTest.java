package io.streamfleet.support.streams;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RestoreProgressTest {

    private static final TopicPartition P0 = new TopicPartition("app-store-changelog", 0);
    private static final TopicPartition P1 = new TopicPartition("app-store-changelog", 1);

    @Test
    void countsTheRecordsLeftAcrossPartitionsUntilEachRestoreEnds() {
        RestoreProgress progress = new RestoreProgress();
        assertThat(progress.snapshot()).isEqualTo(new RestoreProgress.Snapshot(0, 0, 0));

        progress.onRestoreStart(P0, "store", 0, 1000);
        progress.onRestoreStart(P1, "store", 500, 700);
        assertThat(progress.snapshot()).isEqualTo(new RestoreProgress.Snapshot(2, 1200, 0));

        progress.onBatchRestored(P0, "store", 399, 400);
        progress.onBatchRestored(P1, "store", 699, 200);
        assertThat(progress.snapshot()).isEqualTo(new RestoreProgress.Snapshot(2, 600 + 0, 600));

        progress.onRestoreEnd(P1, "store", 200);
        assertThat(progress.snapshot()).isEqualTo(new RestoreProgress.Snapshot(1, 600, 600));
        progress.onBatchRestored(P0, "store", 999, 600);
        progress.onRestoreEnd(P0, "store", 1000);
        assertThat(progress.snapshot()).isEqualTo(new RestoreProgress.Snapshot(0, 0, 1200));
    }

    @Test
    void aSuspendedRestoreNoLongerCountsAsPending() {
        RestoreProgress progress = new RestoreProgress();
        progress.onRestoreStart(P0, "store", 0, 1000);
        progress.onBatchRestored(P0, "store", 99, 100);

        progress.onRestoreSuspended(P0, "store", 100);

        assertThat(progress.snapshot()).isEqualTo(new RestoreProgress.Snapshot(0, 0, 100));
    }
}

package io.streamfleet.alerts.webhook.policy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class OffsetTrackerTest {

    @Test
    void shouldNotCommitPastARecordWhenItIsStillInFlight() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.track(10);
        tracker.track(11);
        tracker.track(12);
        tracker.complete(11);
        tracker.complete(12);
        assertThat(tracker.toCommit()).isEmpty();
        assertThat(tracker.inFlight()).isEqualTo(3);

        tracker.complete(10);
        assertThat(tracker.toCommit()).hasValue(13);
        tracker.markCommitted(13);
        assertThat(tracker.toCommit()).isEmpty();
        assertThat(tracker.inFlight()).isZero();
    }

    @Test
    void shouldAllowGapsInOffsetsWhenTransactionMarkersSitBetweenRecords() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.track(5);
        tracker.track(9);
        tracker.complete(9);
        tracker.complete(5);
        assertThat(tracker.toCommit()).hasValue(10);
    }

    @Property
    void shouldCommitExactlyThePrefixOfFinishedRecordsWhenCompletionsComeInAnyOrder(
            @ForAll @IntRange(min = 1, max = 40) int count, @ForAll long seed) {
        OffsetTracker tracker = new OffsetTracker();
        List<Long> offsets = new ArrayList<>();
        for (long o = 0; o < count; o++) {
            tracker.track(o * 2);
            offsets.add(o * 2);
        }
        Collections.shuffle(offsets, new Random(seed));
        boolean[] done = new boolean[count];
        long lastCommit = -1;
        for (long offset : offsets) {
            tracker.complete(offset);
            done[(int) (offset / 2)] = true;
            int prefix = 0;
            while (prefix < count && done[prefix]) {
                prefix++;
            }
            long expected = prefix == 0 ? -1 : (prefix - 1) * 2L + 1;
            if (expected > lastCommit) {
                assertThat(tracker.toCommit()).hasValue(expected);
                tracker.markCommitted(expected);
                lastCommit = expected;
            } else {
                assertThat(tracker.toCommit()).isEmpty();
            }
        }
        assertThat(lastCommit).isEqualTo((count - 1) * 2L + 1);
    }
}

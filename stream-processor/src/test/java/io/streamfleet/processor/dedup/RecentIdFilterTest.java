package io.streamfleet.processor.dedup;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecentIdFilterTest {

    /** One step: add an id at a time, ask for an id in a range, or forget before a time. */
    record Step(int kind, int id, long timeMs, long spanMs) {
    }

    @Property(tries = 300)
    void shouldNeverRuleOutAnIdAddedInsideTheRangeWhateverWasAddedOrForgotten(
            @ForAll("steps") List<Step> steps, @ForAll("bucketMs") long bucketMs) {
        RecentIdFilter filter = new RecentIdFilter(bucketMs);
        List<Step> added = new ArrayList<>();
        long forgottenBefore = Long.MIN_VALUE;
        for (Step step : steps) {
            String id = "id-" + step.id();
            switch (step.kind()) {
                case 0 -> {
                    filter.add(id, step.timeMs());
                    added.add(step);
                }
                case 1 -> {
                    long from = step.timeMs();
                    long to = step.timeMs() + step.spanMs();
                    boolean inRange = added.stream().anyMatch(a -> a.id() == step.id()
                            && a.timeMs() >= from && a.timeMs() <= to);
                    if (inRange) {
                        assertThat(filter.mightContain(id, from, to)).as("%s in [%d, %d] after forgetting before %d",
                                id, from, to, forgottenBefore).isTrue();
                    }
                }
                default -> {
                    filter.forgetBefore(step.timeMs());
                    forgottenBefore = Math.max(forgottenBefore, step.timeMs());
                }
            }
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, 30), Arbitraries.longs().between(-5_000, 50_000),
                        Arbitraries.longs().between(0, 20_000))
                .as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(300);
    }

    @Provide
    Arbitrary<Long> bucketMs() {
        return Arbitraries.longs().between(1, 30_000);
    }

    @Test
    void shouldRuleOutAlmostEveryNewIdWhenTheBucketsHoldManyIds() {
        RecentIdFilter filter = new RecentIdFilter(300_000);
        // more ids than the first filter's capacity, so buckets grow by further filters
        for (int i = 0; i < 50_000; i++) {
            filter.add(UUID.nameUUIDFromBytes(("seen-" + i).getBytes()).toString(), i * 12L);
        }
        int maybe = 0;
        for (int i = 0; i < 20_000; i++) {
            if (filter.mightContain(UUID.nameUUIDFromBytes(("new-" + i).getBytes()).toString(), 0, 600_000)) {
                maybe++;
            }
        }
        assertThat(maybe).as("false positives of 20 000 new ids").isLessThan(20_000 * 4 / 100);
    }

    @Test
    void shouldKeepFalsePositivesNearOnePercentWhenABucketFillsFromEmpty() {
        RecentIdFilter filter = new RecentIdFilter(300_000);
        // 100 000 ids in one bucket started empty (a task of the benchmark): it grows from its first filter
        for (int i = 0; i < 100_000; i++) {
            filter.add(UUID.nameUUIDFromBytes(("seen-" + i).getBytes()).toString(), 1_000 + i / 10L);
        }
        int maybe = 0;
        for (int i = 0; i < 50_000; i++) {
            if (filter.mightContain(UUID.nameUUIDFromBytes(("new-" + i).getBytes()).toString(), 0, 600_000)) {
                maybe++;
            }
        }
        assertThat(maybe).as("false positives of 50 000 new ids").isLessThan(50_000 * 2 / 100);
        // 1.25 bytes per id in the first filter, more in the sparser grown ones, the last one part full
        assertThat(filter.sizeBytes()).isLessThan(100_000L * 5 / 2);
    }

    @Test
    void shouldAnswerMaybeWhenTheRangeReachesBelowForgottenBuckets() {
        RecentIdFilter filter = new RecentIdFilter(1_000);
        filter.add("a", 500);
        filter.add("b", 2_500);
        filter.forgetBefore(2_000);
        assertThat(filter.mightContain("never-added", 999, 5_000)).isTrue();
        assertThat(filter.mightContain("b", 2_000, 5_000)).isTrue();
        assertThat(filter.sizeBytes()).isPositive();
    }

    @Test
    void shouldRuleOutAnIdAddedOnlyOutsideTheRange() {
        RecentIdFilter filter = new RecentIdFilter(1_000);
        filter.add("a", 500);
        assertThat(filter.mightContain("a", 1_000, 9_000)).isFalse();
        assertThat(filter.mightContain("a", 0, 999)).isTrue();
    }

    @Test
    void shouldHandleTimesAtTheEndsOfTheLongRange() {
        RecentIdFilter filter = new RecentIdFilter(600_000);
        filter.add("min", Long.MIN_VALUE);
        filter.add("max", Long.MAX_VALUE);
        assertThat(filter.mightContain("min", Long.MIN_VALUE, Long.MIN_VALUE + 10)).isTrue();
        assertThat(filter.mightContain("max", Long.MAX_VALUE - 10, Long.MAX_VALUE)).isTrue();
        filter.forgetBefore(Long.MAX_VALUE - 1);
        assertThat(filter.mightContain("max", Long.MAX_VALUE - 10, Long.MAX_VALUE)).isTrue();
    }

    @Test
    void shouldRejectBucketSpanWhenNotPositive() {
        assertThatThrownBy(() -> new RecentIdFilter(0)).hasMessageContaining("bucket span");
    }
}

package io.streamfleet.alerts.late.board;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The board against an independent oracle computed from the whole record sequence (not by replaying the board's
 * map): a key is kept iff its last late record is within the horizon and fewer than {@code maxKeys} other keys were
 * late since; a kept key's tally starts at its latest return, a return being a gap of at least the horizon or at
 * least {@code maxKeys} other keys in between.
 */
class LateEventBoardPropertiesTest {

    private static final long HORIZON = 1_000;
    private static final String[] TOPICS = {"orders.late", "engagement.late", "orders.cep.late"};

    private static final String[] STAGES = {"stream-processor", "session-analytics"};

    record Step(int topic, int stage, int key, long eventTimeMs, long behindMs, int gapMs) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 1),
                        Arbitraries.integers().between(0, 11),
                        Arbitraries.longs().between(0, 100_000), Arbitraries.longs().between(-1, 5_000),
                        Arbitraries.frequencyOf(
                                net.jqwik.api.Tuple.of(8, Arbitraries.integers().between(0, 50)),
                                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 1_500))))
                .as(Step::new).list().ofMaxSize(300);
    }

    @Property(tries = 300)
    void shouldHoldExactTalliesForEveryKeyItKeepsWhateverTheSequence(@ForAll("steps") List<Step> steps,
                                                                    @ForAll @IntRange(min = 1, max = 12) int maxKeys,
                                                                    @ForAll @IntRange(min = 0, max = 1_500) int waitMs) {
        LateEventBoard board = new LateEventBoard(HORIZON, maxKeys);
        List<LateRecord> records = new ArrayList<>();
        long now = 1_000_000;
        for (Step step : steps) {
            now += step.gapMs();
            LateRecord record = new LateRecord(TOPICS[step.topic()], STAGES[step.stage()], "key-" + step.key(),
                    step.eventTimeMs(), step.behindMs(), now);
            records.add(record);
            board.record(record);
            assertThat(board.size()).isLessThanOrEqualTo(maxKeys);
        }
        long queryAt = now + waitMs;

        List<LateKeyStats> kept = board.query(new LateQuery(null, null, null, Integer.MAX_VALUE), queryAt).items();

        assertThat(kept).containsExactlyInAnyOrderElementsOf(oracle(records, maxKeys, queryAt));
        assertThat(kept).isSortedAccordingTo((a, b) -> Long.compare(b.count(), a.count()));
    }

    @Property(tries = 100)
    void shouldNeverHoldMoreThanMaxKeysWhateverTheNumberOfKeys(@ForAll @IntRange(min = 1, max = 50) int maxKeys,
                                                              @ForAll @IntRange(min = 0, max = 5_000) int keys) {
        LateEventBoard board = new LateEventBoard(60_000, maxKeys);
        for (int i = 0; i < keys; i++) {
            board.record(new LateRecord("orders.late", "stage", "k" + i, i, 10, 1_000_000 + i / 10));
        }
        assertThat(board.size()).isEqualTo(Math.min(keys, maxKeys));
        assertThat(board.evictedKeys()).isEqualTo(Math.max(0, keys - maxKeys));
        LateView view = board.query(new LateQuery(null, null, null, 1000), 1_000_000 + keys / 10);
        assertThat(view.items()).hasSize(Math.min(keys, maxKeys)).allSatisfy(s -> assertThat(s.count()).isEqualTo(1));
    }

    private static List<LateKeyStats> oracle(List<LateRecord> records, int maxKeys, long queryAt) {
        Map<String, List<Integer>> occurrences = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            occurrences.computeIfAbsent(id(records.get(i)), k -> new ArrayList<>()).add(i);
        }
        List<LateKeyStats> expected = new ArrayList<>();
        occurrences.forEach((id, at) -> {
            int last = at.get(at.size() - 1);
            boolean kept = queryAt - records.get(last).arrivalMs() < HORIZON
                    && distinctOthers(records, id, last + 1, records.size()) < maxKeys;
            if (!kept) {
                return;
            }
            int start = at.size() - 1;
            while (start > 0 && !returned(records, id, at.get(start - 1), at.get(start), maxKeys)) {
                start--;
            }
            List<LateRecord> tally = at.subList(start, at.size()).stream().map(records::get).toList();
            LateRecord first = tally.get(0);
            LateRecord latest = tally.get(tally.size() - 1);
            expected.add(new LateKeyStats(first.topic(), first.stage(), first.key(), tally.size(),
                    tally.stream().mapToLong(LateRecord::eventTimeMs).min().orElseThrow(),
                    tally.stream().mapToLong(LateRecord::eventTimeMs).max().orElseThrow(),
                    tally.stream().mapToLong(LateRecord::behindMs).max().orElseThrow(),
                    first.arrivalMs(), latest.arrivalMs()));
        });
        return expected;
    }

    /** Whether the key's record at {@code next} starts a new tally after its record at {@code previous}. */
    private static boolean returned(List<LateRecord> records, String id, int previous, int next, int maxKeys) {
        return records.get(next).arrivalMs() - records.get(previous).arrivalMs() >= HORIZON
                || distinctOthers(records, id, previous + 1, next) >= maxKeys;
    }

    private static int distinctOthers(List<LateRecord> records, String id, int from, int to) {
        Set<String> others = new HashSet<>();
        for (int i = from; i < to; i++) {
            if (!id(records.get(i)).equals(id)) {
                others.add(id(records.get(i)));
            }
        }
        return others.size();
    }

    private static String id(LateRecord record) {
        return record.topic() + "/" + record.stage() + "/" + record.key();
    }
}

package io.streamfleet.session.engine;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A range of the index is exactly the entries keyed in [from, before), in (end, start, user) order. */
class ClosingIndexTest {

    @Property(tries = 300)
    void shouldAnswerARangeWithTheEntriesKeyedInItInOrder(
            @ForAll @Size(max = 30) List<@IntRange(min = -5, max = 5) Integer> ends,
            @ForAll @IntRange(min = -6, max = 6) int from, @ForAll @IntRange(min = -6, max = 6) int before,
            @ForAll @StringLength(max = 3) String user) {
        ClosingIndex index = new ClosingIndex();
        List<IndexEntry> all = new ArrayList<>();
        for (int i = 0; i < ends.size(); i++) {
            IndexEntry entry = new IndexEntry(ends.get(i), ends.get(i) - i % 3, user + (char) ('a' + i % 4));
            index.add(entry);
            if (!all.contains(entry)) {
                all.add(entry);
            }
        }
        List<IndexEntry> expected = all.stream().filter(e -> e.endMs() >= from && e.endMs() < before)
                .sorted(Comparator.comparing(e -> e, IndexEntry.ORDER)).toList();

        assertThat(index.range(from, before)).isEqualTo(expected);
        assertThat(index.size()).isEqualTo(all.size());
        all.forEach(index::remove);
        assertThat(index.entries()).isEmpty();
    }

    @Property(tries = 50)
    void shouldStartFromTheFirstEntryWhenTheRangeStartsAtLongMin(@ForAll long end, @ForAll long start) {
        ClosingIndex index = new ClosingIndex();
        index.add(new IndexEntry(end, start, "u"));

        assertThat(index.range(Long.MIN_VALUE, Long.MAX_VALUE)).hasSize(end == Long.MAX_VALUE ? 0 : 1);
    }
}

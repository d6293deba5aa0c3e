package io.streamfleet.bench.replay;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TimeMergeTest {

    /** An item: its source, its index within the source, and its time. */
    record Item(int source, int index, long time) {
    }

    private static List<List<Item>> sources(List<List<Integer>> times) {
        List<List<Item>> sources = new ArrayList<>();
        for (int s = 0; s < times.size(); s++) {
            List<Item> items = new ArrayList<>();
            for (int i = 0; i < times.get(s).size(); i++) {
                items.add(new Item(s, i, times.get(s).get(i)));
            }
            sources.add(items);
        }
        return sources;
    }

    private static List<Item> merge(List<List<Item>> sources) {
        List<Iterator<Item>> its = sources.stream().map(List::iterator).toList();
        List<Item> out = new ArrayList<>();
        new TimeMerge<>(its, Item::time).forEachRemaining(out::add);
        return out;
    }

    @Property
    void shouldKeepEveryItemAndEachSourcesOrderWhateverTheTimes(
            @ForAll @Size(max = 6) List<@Size(max = 20) List<@IntRange(max = 50) Integer>> times) {
        List<List<Item>> sources = sources(times);
        List<Item> merged = merge(sources);
        assertThat(merged).hasSize(sources.stream().mapToInt(List::size).sum());
        for (List<Item> source : sources) {
            assertThat(merged.stream().filter(source::contains).toList()).containsExactlyElementsOf(source);
        }
    }

    @Property
    void shouldComeOutInTimeOrderWhenEverySourceIsInTimeOrder(
            @ForAll @Size(max = 6) List<@Size(max = 20) List<@IntRange(max = 50) Integer>> times) {
        times = times.stream().map(t -> t.stream().sorted().toList()).toList();
        List<Item> merged = merge(sources(times));
        assertThat(merged).isSortedAccordingTo(Comparator.comparingLong(Item::time).thenComparingInt(Item::source));
    }
}

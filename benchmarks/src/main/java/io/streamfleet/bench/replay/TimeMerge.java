package io.streamfleet.bench.replay;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.function.ToLongFunction;

/**
 * Merges sequences (one per partition) into one by time: always takes the head with the smallest time, ties to the
 * earlier source. Each source's own order is kept whatever its times, so per-partition order survives even where
 * timestamps go backwards; across partitions the result follows the clock, which is what a paced replay needs.
 */
public final class TimeMerge<T> implements Iterator<T> {

    private final List<? extends Iterator<T>> sources;
    private final ToLongFunction<T> time;
    private final PriorityQueue<Head<T>> heads;

    public TimeMerge(List<? extends Iterator<T>> sources, ToLongFunction<T> time) {
        this.sources = sources;
        this.time = time;
        this.heads = new PriorityQueue<>(Math.max(1, sources.size()), (a, b) -> a.time != b.time
                ? Long.compare(a.time, b.time) : Integer.compare(a.source, b.source));
        for (int i = 0; i < sources.size(); i++) {
            advance(i);
        }
    }

    @Override
    public boolean hasNext() {
        return !heads.isEmpty();
    }

    @Override
    public T next() {
        Head<T> head = heads.poll();
        if (head == null) {
            throw new NoSuchElementException();
        }
        advance(head.source);
        return head.item;
    }

    private void advance(int source) {
        Iterator<T> it = sources.get(source);
        if (it.hasNext()) {
            T item = it.next();
            heads.add(new Head<>(item, time.applyAsLong(item), source));
        }
    }

    private record Head<T>(T item, long time, int source) {
    }
}

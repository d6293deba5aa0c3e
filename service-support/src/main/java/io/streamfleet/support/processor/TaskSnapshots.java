package io.streamfleet.support.processor;

import io.micrometer.core.instrument.Gauge;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The latest snapshot each local stream task reported, for gauges that must stay right across rebalances: a gauge
 * aggregates over the tasks this instance runs now, and a task that is closed (revoked, or the instance stopping)
 * takes its snapshot with it. Times in a snapshot are epoch ms, {@link Long#MIN_VALUE} while unknown. Thread-safe:
 * stream threads report, the metrics scrape reads.
 *
 * @param <S> what one task reports (a record, or a single {@code Long})
 */
public final class TaskSnapshots<S> {

    private final Map<String, S> tasks = new ConcurrentHashMap<>();

    public void report(String task, S snapshot) {
        tasks.put(task, snapshot);
    }

    /** Called from a processor's {@code close()}; {@code null} (a task closed before its init ran) is ignored. */
    public void forget(String task) {
        if (task != null) {
            tasks.remove(task);
        }
    }

    /** What {@code task} last reported, or {@code null}. */
    public S get(String task) {
        return tasks.get(task);
    }

    public double sum(ToDoubleFunction<S> value) {
        return tasks.values().stream().mapToDouble(value).sum();
    }

    /** The smallest value over the tasks, or {@code none} while no task reported. */
    public long min(ToLongFunction<S> value, long none) {
        return tasks.values().stream().mapToLong(value).min().orElse(none);
    }

    /** The largest value over the tasks, or {@code none} while no task reported. */
    public long max(ToLongFunction<S> value, long none) {
        return tasks.values().stream().mapToLong(value).max().orElse(none);
    }

    /**
     * Wall clock minus the oldest known time over the tasks (the one furthest behind), never negative; 0 while no
     * task knows its time. Metrics only: no stage decides anything on the wall clock.
     */
    public double lagMs(Clock clock, ToLongFunction<S> time) {
        long oldest = tasks.values().stream().mapToLong(time)
                .filter(t -> t != Long.MIN_VALUE).min().orElse(Long.MIN_VALUE);
        return oldest == Long.MIN_VALUE ? 0 : Math.max(0, clock.millis() - oldest);
    }

    /** A gauge of the sum of {@code value} over the tasks; the caller adds description and tags and registers it. */
    public Gauge.Builder<TaskSnapshots<S>> sumGauge(String name, ToDoubleFunction<S> value) {
        return Gauge.builder(name, this, snapshots -> snapshots.sum(value));
    }
}

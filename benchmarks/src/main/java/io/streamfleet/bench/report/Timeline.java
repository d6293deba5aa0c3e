package io.streamfleet.bench.report;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;

/** Per-second ingest figures over the run, and the whole run's latency histogram. */
public final class Timeline {

    /**
     * One second of the run.
     *
     * @param second         seconds since the first send
     * @param acceptedEvents events acknowledged during that second
     * @param requests       requests completed during that second
     * @param p50Ms          request latency p50 of that second
     * @param p99Ms          request latency p99 of that second
     * @param maxMs          request latency max of that second
     */
    public record Point(double second, long acceptedEvents, long requests, double p50Ms, double p99Ms, double maxMs) {
    }

    private final Histogram total;
    private final List<Point> points = new ArrayList<>();

    public Timeline(long highestTrackableMicros) {
        this.total = new Histogram(highestTrackableMicros, 3);
    }

    public synchronized void add(double second, Histogram interval, long acceptedEvents) {
        total.add(interval);
        Percentiles p = Percentiles.of(interval);
        points.add(new Point(Math.round(second * 10) / 10.0, acceptedEvents, interval.getTotalCount(), p.p50Ms(),
                p.p99Ms(), p.maxMs()));
    }

    public synchronized Histogram total() {
        return total.copy();
    }

    public synchronized List<Point> points() {
        return List.copyOf(points);
    }
}

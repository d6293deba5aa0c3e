package io.streamfleet.bench.report;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.data.Percentage.withPercentage;

class PercentilesTest {

    private static Histogram micros(long... values) {
        Histogram h = new Histogram(60_000_000L, 3);
        for (long v : values) {
            h.recordValue(v);
        }
        return h;
    }

    @Test
    void shouldReportExactPercentilesWhenSamplesAreOneToTenThousandMicros() {
        Histogram h = new Histogram(60_000_000L, 3);
        for (long v = 1; v <= 10_000; v++) {
            h.recordValue(v);
        }
        Percentiles p = Percentiles.of(h);
        assertThat(p.count()).isEqualTo(10_000);
        assertThat(p.p50Ms()).isCloseTo(5.0, withPercentage(0.1));
        assertThat(p.p90Ms()).isCloseTo(9.0, withPercentage(0.1));
        assertThat(p.p95Ms()).isCloseTo(9.5, withPercentage(0.1));
        assertThat(p.p99Ms()).isCloseTo(9.9, withPercentage(0.1));
        assertThat(p.p999Ms()).isCloseTo(9.99, withPercentage(0.1));
        assertThat(p.maxMs()).isCloseTo(10.0, withPercentage(0.1));
        assertThat(p.meanMs()).isCloseTo(5.0005, withPercentage(0.1));
    }

    @Test
    void shouldShowTheTailWhenOnePercentOfRequestsStalled() {
        long[] values = new long[1_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i < 990 ? 1_000 : 250_000;
        }
        Percentiles p = Percentiles.of(micros(values));
        assertThat(p.p50Ms()).isCloseTo(1.0, within(0.001));
        assertThat(p.p99Ms()).isCloseTo(1.0, within(0.001));
        assertThat(p.p999Ms()).isCloseTo(250.0, withPercentage(0.1));
        assertThat(p.maxMs()).isCloseTo(250.0, withPercentage(0.1));
    }

    @Test
    void shouldReportZerosWhenNothingWasRecorded() {
        assertThat(Percentiles.of(micros())).isEqualTo(new Percentiles(0, 0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void shouldAccumulateIntervalsIntoTheRunTotalWhenTimelineGrows() {
        Timeline timeline = new Timeline(60_000_000L);
        timeline.add(1.0, micros(1_000, 2_000), 200);
        timeline.add(2.0, micros(3_000), 100);
        assertThat(timeline.total().getTotalCount()).isEqualTo(3);
        assertThat(timeline.points()).extracting(Timeline.Point::acceptedEvents).containsExactly(200L, 100L);
        assertThat(timeline.points().get(1).maxMs()).isCloseTo(3.0, withPercentage(0.1));
    }
}

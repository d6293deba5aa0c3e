package io.streamfleet.bench.driver;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class MillisecondTicksTest {

    private static final long MS = 1_000_000L;

    @Test
    void shouldPutOneRequestOnEachTickAtAThousandPerSecond() {
        assertThat(offsets(5, 1_000)).containsExactly(0L, MS, 2 * MS, 3 * MS, 4 * MS);
    }

    @Test
    void shouldPutTheRequestsOfOneMillisecondOnItsTickTogether() {
        assertThat(offsets(6, 2_000)).containsExactly(0L, 0L, MS, MS, 2 * MS, 2 * MS);
        assertThat(offsets(11, 5_000)).containsExactly(0L, 0L, 0L, 0L, 0L, MS, MS, MS, MS, MS, 2 * MS);
        // 3 000 req/s: 3 on a tick, as wrk's floor(n * 1000 / R) gives them (n = 0, 1, 2 | 3, 4, 5 | ...)
        assertThat(offsets(7, 3_000)).containsExactly(0L, 0L, 0L, MS, MS, MS, 2 * MS);
        // below 1 000 req/s every request has a tick of its own, whole milliseconds apart
        assertThat(offsets(3, 300)).containsExactly(0L, 3 * MS, 6 * MS);
    }

    @Test
    void shouldKeepTheRateOverALongRun() {
        // request 3 000 000 at 3 000 req/s (1 000 s in) is on the first tick of its second, not drifted
        assertThat(MillisecondTicks.offset(3_000_000, 3_000)).isEqualTo(1_000_000 * MS);
        assertThat(LongStream.range(0, 50_000).map(n -> MillisecondTicks.offset(n, 5_000)).distinct().count())
                .isEqualTo(10_000);
    }

    @Test
    void shouldFindTheNextWholeMillisecondOfTheWallClock() {
        // a clock that reads nanoTime + 300 us: its next whole millisecond is 700 us after nanoTime 0
        MillisecondTicks ticks = MillisecondTicks.withOffset(300_000);
        assertThat(ticks.nextTick(0)).isEqualTo(700_000);
        assertThat(ticks.nextTick(700_000)).isEqualTo(700_000);
        assertThat(ticks.nextTick(700_001)).isEqualTo(1_700_000);
        assertThat(MillisecondTicks.withOffset(-300_000).nextTick(-5)).isEqualTo(300_000);
    }

    @Test
    void shouldMapTheTicksOntoThisMachinesWallClock() {
        MillisecondTicks ticks = MillisecondTicks.ofWallClock();
        long now = System.nanoTime();
        Instant wallNow = Instant.now();
        long tick = ticks.nextTick(now);
        assertThat(tick - now).isBetween(0L, MS - 1);
        // the wall clock at that tick, read from this sample, is on (or within a sampling error of) a whole ms
        long wallAtTick = wallNow.getEpochSecond() * 1_000_000_000L + wallNow.getNano() + (tick - now);
        long intoMs = Math.floorMod(wallAtTick, MS);
        assertThat(Math.min(intoMs, MS - intoMs)).isLessThan(200_000L);
    }

    private static List<Long> offsets(int count, int rate) {
        List<Long> offsets = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            offsets.add(MillisecondTicks.offset(n, rate));
        }
        return offsets;
    }
}

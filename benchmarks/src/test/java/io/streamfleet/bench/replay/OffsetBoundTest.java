package io.streamfleet.bench.replay;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OffsetBoundTest {

    private static final OffsetBound.TimeLookup NO_TIMES = (t, p, ms) -> OptionalLong.empty();

    @Test
    void shouldUseTheLogsEdgesWhenNoBoundIsGiven() {
        OffsetBound edge = OffsetBound.edge();
        assertThat(edge.resolve("orders.raw", 0, 5, 90, true, NO_TIMES)).isEqualTo(5);
        assertThat(edge.resolve("orders.raw", 0, 5, 90, false, NO_TIMES)).isEqualTo(90);
    }

    @Test
    void shouldApplyTheMostSpecificOffsetWhenSeveralEntriesMatch() {
        OffsetBound o = OffsetBound.parseOffsets("from-offset", "10, 1:20, orders.raw:1:30, engagement.raw:2:40");
        assertThat(o.resolve("orders.raw", 0, 0, 100, true, NO_TIMES)).isEqualTo(10);
        assertThat(o.resolve("orders.raw", 1, 0, 100, true, NO_TIMES)).isEqualTo(30);
        assertThat(o.resolve("engagement.raw", 1, 0, 100, true, NO_TIMES)).isEqualTo(20);
        assertThat(o.resolve("engagement.raw", 2, 0, 100, true, NO_TIMES)).isEqualTo(40);
    }

    @Test
    void shouldUseTheEdgeForPartitionsThatNoEntryNames() {
        OffsetBound o = OffsetBound.parseOffsets("to-offset", "orders.raw:0:7");
        assertThat(o.resolve("orders.raw", 0, 0, 100, false, NO_TIMES)).isEqualTo(7);
        assertThat(o.resolve("orders.raw", 1, 0, 100, false, NO_TIMES)).isEqualTo(100);
        assertThat(o.resolve("orders.raw", 1, 3, 100, true, NO_TIMES)).isEqualTo(3);
    }

    @Test
    void shouldStayWithinTheLogWhenAnOffsetIsBeforeItsBeginningOrAfterItsEnd() {
        OffsetBound o = OffsetBound.parseOffsets("from-offset", "1000");
        assertThat(o.resolve("t", 0, 0, 90, true, NO_TIMES)).isEqualTo(90);
        assertThat(OffsetBound.parseOffsets("from-offset", "2").resolve("t", 0, 50, 90, true, NO_TIMES)).isEqualTo(50);
    }

    @Test
    void shouldLookUpTheFirstOffsetAtOrAfterTheTimeAndUseTheEndWhenNoneIsThere() {
        OffsetBound t = OffsetBound.parseTime("from-time", "2026-12-03T10:00:00Z");
        assertThat(t).isEqualTo(new OffsetBound.Time(1_796_292_000_000L));
        OffsetBound.TimeLookup lookup = (topic, p, ms) -> p == 0 ? OptionalLong.of(42) : OptionalLong.empty();
        assertThat(t.resolve("orders.raw", 0, 0, 100, true, lookup)).isEqualTo(42);
        assertThat(t.resolve("orders.raw", 1, 0, 100, true, lookup)).isEqualTo(100);
        assertThat(OffsetBound.parseTime("to-time", "1796292000000")).isEqualTo(t);
        assertThat(OffsetBound.parseTime("to-time", "2026-12-03T11:00:00+01:00")).isEqualTo(t);
    }

    @Test
    void shouldNameTheOptionAndTheAcceptedFormsWhenABoundIsMalformed() {
        assertThatThrownBy(() -> OffsetBound.parseOffsets("from-offset", "-1"))
                .hasMessageContaining("--from-offset takes OFFSET, PARTITION:OFFSET or TOPIC:PARTITION:OFFSET");
        assertThatThrownBy(() -> OffsetBound.parseOffsets("to-offset", "a:b:c:d")).hasMessageContaining("--to-offset");
        assertThatThrownBy(() -> OffsetBound.parseTime("from-time", "yesterday"))
                .hasMessageContaining("--from-time takes an ISO-8601 instant");
        assertThatThrownBy(() -> OffsetBound.parseTime("from-time", "2026-12-03T10:00:00"))
                .hasMessageContaining("ISO-8601");
    }
}

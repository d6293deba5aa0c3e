package io.streamfleet.processor.topology;

import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.processor.stats.WindowAggregate;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.TreeSet;

import static io.streamfleet.processor.support.Events.order;
import static org.assertj.core.api.Assertions.assertThat;

class OpenWindowCodecTest {

    @Test
    void shouldOrderKeysByWindowEndWhenTimesHaveDifferentSigns() {
        TreeSet<Bytes> keys = new TreeSet<>(List.of(OpenWindowCodec.key(1_000, 1, "z"),
                OpenWindowCodec.key(-5, 0, "a"), OpenWindowCodec.key(999, 1, "a"), OpenWindowCodec.key(1_000, 0, "zz")));

        assertThat(keys.stream().map(OpenWindowCodec::end)).containsExactly(-5L, 999L, 1_000L, 1_000L);
        assertThat(OpenWindowCodec.lowerBound(1_000)).isLessThan(keys.last());
        assertThat(OpenWindowCodec.upperBound(1_000)).isGreaterThan(keys.last());
        assertThat(OpenWindowCodec.upperBound(999)).isLessThan(OpenWindowCodec.key(1_000, 0, ""));
    }

    @Test
    void shouldRoundTripKeyPartsAndAggregateWhenEncoded() {
        Bytes key = OpenWindowCodec.key(42, 1, "acc|SYM-é");
        assertThat(OpenWindowCodec.end(key)).isEqualTo(42);
        assertThat(OpenWindowCodec.family(key)).isEqualTo(1);
        assertThat(OpenWindowCodec.recordKey(key)).isEqualTo("acc|SYM-é");

        WindowAggregate a = WindowAggregate.empty()
                .add(order("1", "a", "S", OrderEventType.CREATED, 10.005, 3, 0), 1001, 77)
                .add(order("2", "a", "S", OrderEventType.FILLED, 9.99, 1, 0), 999, 70);
        assertThat(OpenWindowCodec.decode(OpenWindowCodec.encode(a))).isEqualTo(a);
    }

    @Test
    void shouldBoundPanesWithTheWindowsOfTheirTimeWhenRangesAreScanned() {
        Bytes pane = OpenWindowCodec.key(1_000, OpenWindowCodec.PANE, "acc|SYM");

        assertThat(OpenWindowCodec.lowerBound(1_000)).isLessThan(pane);
        assertThat(OpenWindowCodec.upperBound(1_000)).isGreaterThan(pane);
        assertThat(OpenWindowCodec.upperBound(999)).isLessThan(pane);
        assertThat(OpenWindowCodec.key(1_000, OpenWindowCodec.HOPPING, "zzz")).isLessThan(pane);
    }

    @Test
    void shouldKeepTheRecordKeyWhenRekeyedToAnotherTimeAndKind() {
        Bytes pane = OpenWindowCodec.key(-20_000, OpenWindowCodec.PANE, "acc|SYM-é");

        Bytes window = OpenWindowCodec.rekey(pane, 40_000, OpenWindowCodec.HOPPING);

        assertThat(window).isEqualTo(OpenWindowCodec.key(40_000, OpenWindowCodec.HOPPING, "acc|SYM-é"));
        assertThat(OpenWindowCodec.end(pane)).as("source untouched").isEqualTo(-20_000);
    }
}

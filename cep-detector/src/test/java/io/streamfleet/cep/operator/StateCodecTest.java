package io.streamfleet.cep.operator;

import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.common.utils.Bytes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scan bounds of the time-ordered stores, checked against the plain comparison of times they must agree with:
 * a drain that seeks to {@code bufferFrom(W)} must see exactly the buffer keys at W or later, whatever the sign of
 * the times, the key or the event id.
 */
class StateCodecTest {

    @Property(tries = 500)
    void shouldSortABufferKeyBelowItsBoundExactlyWhenItsTimeIsEarlier(@ForAll long timeMs,
                                                                      @ForAll @IntRange(min = -2, max = 2) int offset,
                                                                      @ForAll String key, @ForAll String eventId) {
        Assume.that(noOverflow(timeMs, offset));
        long boundMs = timeMs + offset;

        int order = Bytes.wrap(StateCodec.bufferKey(timeMs, key, eventId))
                .compareTo(Bytes.wrap(StateCodec.bufferFrom(boundMs)));

        assertThat(order < 0).as("time %d vs bound %d", timeMs, boundMs).isEqualTo(timeMs < boundMs);
    }

    @Property(tries = 500)
    void shouldSortABufferKeyBelowAFarBoundExactlyWhenItsTimeIsEarlier(@ForAll long timeMs, @ForAll long boundMs,
                                                                       @ForAll String key) {
        int order = Bytes.wrap(StateCodec.bufferKey(timeMs, key, "e1"))
                .compareTo(Bytes.wrap(StateCodec.bufferFrom(boundMs)));

        assertThat(order < 0).isEqualTo(timeMs < boundMs);
    }

    @Property(tries = 500)
    void shouldSortAWakeUpKeyBelowItsBoundExactlyWhenItsWatermarkIsEarlier(@ForAll long wakeAt,
                                                                          @ForAll @IntRange(min = -2, max = 2)
                                                                          int offset, @ForAll String key) {
        Assume.that(noOverflow(wakeAt, offset));
        long boundMs = wakeAt + offset;

        int order = Bytes.wrap(StateCodec.wakeKey(wakeAt, key)).compareTo(Bytes.wrap(StateCodec.wakeFrom(boundMs)));

        assertThat(order < 0).as("wake-up %d vs bound %d", wakeAt, boundMs).isEqualTo(wakeAt < boundMs);
    }

    @Example
    void shouldKeepTheKeyLayoutsWhenBoundsAreTheirTimePrefix() {
        long t = 1_700_000_000_000L;

        assertThat(StateCodec.bufferKey(t, "acc-1|ACME", "e1")).startsWith(StateCodec.bufferFrom(t));
        assertThat(StateCodec.wakeKey(t, "acc-1|ACME")).startsWith(StateCodec.wakeFrom(t));
        assertThat(StateCodec.bufferKeyTime(StateCodec.bufferKey(t, "acc-1|ACME", "e1"))).isEqualTo(t);
    }

    private static boolean noOverflow(long value, int offset) {
        return offset >= 0 ? value <= Long.MAX_VALUE - offset : value >= Long.MIN_VALUE - offset;
    }
}

package io.streamfleet.cep.operator;

import io.streamfleet.cep.burst.TrackedOrder;
import io.streamfleet.cep.engine.runtime.EventRef;
import io.streamfleet.cep.engine.runtime.KeyState;
import io.streamfleet.cep.operator.StateCodec.Stored;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.common.utils.Bytes;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The scan bounds of the buffer, checked against the plain comparison of times they must agree with: a drain that
 * seeks to {@code bufferFrom(W)} must see exactly the buffer keys at W or later, whatever the sign of the times, the
 * key or the event id. And the key-state layouts (events in the value, or by reference to the buffer), their wake-up
 * header, the wake-up index's key order.
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
    void shouldOrderWakeUpKeysAsTheirUtf8BytesWhenComparedInMemory(@ForAll String a, @ForAll String b) {
        // the order the keys of the former cep-wake-ups store had: keys with equal wake-ups come due in that order
        Assume.that(wellFormed(a) && wellFormed(b));

        int bytes = Bytes.wrap(a.getBytes(StandardCharsets.UTF_8)).compareTo(Bytes.wrap(b.getBytes(StandardCharsets.UTF_8)));

        assertThat(Integer.signum(WakeUpIndex.KEY_ORDER.compare(a, b))).isEqualTo(Integer.signum(bytes));
    }

    @Example
    void shouldOrderACodePointAboveTheBasicPlaneAfterEveryBasicCharWhenKeysDiffer() {
        String astral = new String(Character.toChars(0x1F600));

        assertThat(WakeUpIndex.KEY_ORDER.compare(astral, "\uFFFD")).isPositive();
        assertThat("\uFFFD".compareTo(astral)).as("where String order differs").isPositive();
    }

    @Example
    void shouldKeepTheKeyLayoutsWhenBoundsAreTheirTimePrefix() {
        long t = 1_700_000_000_000L;

        assertThat(StateCodec.bufferKey(t, "acc-1|ACME", "e1")).startsWith(StateCodec.bufferFrom(t));
        assertThat(StateCodec.bufferKeyTime(StateCodec.bufferKey(t, "acc-1|ACME", "e1"))).isEqualTo(t);
    }

    @Property(tries = 300)
    void shouldReadBackEitherKeyStateLayoutWithItsHeaderOldestEventAndSize(
            @ForAll @IntRange(min = 1, max = 12) int size, @ForAll String eventId, @ForAll String account,
            @ForAll double price, @ForAll long wakeAt, @ForAll boolean evaluated) {
        List<TrackedOrder> events = orders(0, size, eventId, account, price);
        EventRef through = evaluated ? new EventRef(T0 + 3, eventId) : null;
        KeyState<TrackedOrder> state = KeyState.restore(events, through);
        byte[] fullBytes = StateCodec.encodeState(state, wakeAt);
        byte[] referenceBytes = StateCodec.encodeReference(state, wakeAt);

        Stored full = StateCodec.decode(fullBytes);
        Stored reference = StateCodec.decode(referenceBytes);

        assertThat(full.byReference()).isFalse();
        assertThat(full.events()).containsExactlyElementsOf(events);
        assertThat(reference.byReference()).isTrue();
        for (Stored stored : List.of(full, reference)) {
            assertThat(stored.wakeAt()).isEqualTo(wakeAt);
            assertThat(stored.through()).isEqualTo(through);
            assertThat(stored.first()).isEqualTo(StateCodec.ref(events.get(0)));
            assertThat(stored.size()).isEqualTo(size);
        }
    }

    @Example
    void shouldStoreAKeyStateByReferenceInAFewBytesWhateverItsHorizon() {
        KeyState<TrackedOrder> state = KeyState.restore(orders(0, 40, "evt-", "acc-1", 10.0),
                new EventRef(T0 + 20, "evt-20"));

        assertThat(StateCodec.encodeReference(state, T0 + 3_000)).hasSizeLessThan(64);
        assertThat(StateCodec.encodeState(state, T0 + 3_000)).hasSizeGreaterThan(40 * 30);
    }

    @Example
    void shouldRefuseAKeyStateOfAnUnknownVersionAndAnEmptyStateByReference() {
        assertThatThrownBy(() -> StateCodec.decode(new byte[]{9, 0, 0, 0, 0, 0, 0, 0, 0, 0}))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("unknown key-state version 9");
        assertThatThrownBy(() -> StateCodec.encodeReference(KeyState.empty(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deleted, not stored");
    }

    private static final long T0 = 1_700_000_000_000L;

    private static List<TrackedOrder> orders(int from, int count, String eventId, String account, double price) {
        List<TrackedOrder> orders = new ArrayList<>();
        OrderEventType[] types = OrderEventType.values();
        for (int i = from; i < from + count; i++) {
            orders.add(new TrackedOrder(new OrderEvent(eventId + i, account, "SYM", types[i % types.length],
                    i % 2 == 0 ? null : "o" + i, i % 3 == 0 ? null : Side.SELL, price + i, i, T0 + i), i - 1));
        }
        return orders;
    }

    /** No unpaired surrogate: a string UTF-8 encodes without replacement. */
    private static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean noOverflow(long value, int offset) {
        return offset >= 0 ? value <= Long.MAX_VALUE - offset : value >= Long.MIN_VALUE - offset;
    }
}

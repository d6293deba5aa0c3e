package io.streamfleet.cep.operator;

import io.streamfleet.cep.burst.TrackedOrder;
import io.streamfleet.cep.engine.runtime.EventRef;
import io.streamfleet.cep.engine.runtime.KeyState;
import io.streamfleet.cep.operator.StateCodec.StoredState;
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
 * key or the event id. And the key-state layout: its stored event forms, its wake-up header, the wake-up index's key
 * order.
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
    void shouldWriteTheSameKeyStateBytesFromStoredEventFormsAsByEncodingEveryEvent(
            @ForAll @IntRange(min = 0, max = 12) int kept, @ForAll @IntRange(min = 0, max = 12) int dropped,
            @ForAll @IntRange(min = 0, max = 6) int added, @ForAll String eventId, @ForAll String account,
            @ForAll double price, @ForAll long wakeAt, @ForAll boolean evaluated) {
        List<TrackedOrder> before = orders(0, dropped + kept, eventId, account, price);
        EventRef through = evaluated ? new EventRef(T0 + 3, eventId) : null;
        StoredState read = StateCodec.decodeState(StateCodec.encodeState(KeyState.restore(before, through), wakeAt));
        // what the matcher does to a state: drop events from the front, append newer ones
        List<TrackedOrder> after = new ArrayList<>(read.state().events().subList(dropped, dropped + kept));
        EventForms forms = read.forms();
        forms.dropFirst(dropped);
        for (TrackedOrder order : orders(dropped + kept, added, eventId, account, price)) {
            after.add(order);
            forms.add(StateCodec.encodeOrder(order));
        }
        KeyState<TrackedOrder> state = KeyState.restore(after, through);

        byte[] written = StateCodec.encodeState(state, wakeAt, forms);
        assertThat(written).isEqualTo(StateCodec.encodeState(state, wakeAt));
        assertThat(StateCodec.wakeAt(written)).as("read from the header alone").isEqualTo(wakeAt);
        assertThat(forms.toList()).as("re-based onto the written value")
                .containsExactlyElementsOf(StateCodec.decodeState(written).forms().toList());

        // a second write-back from the re-based forms: drop again from the front, append again
        int droppedAgain = Math.min(dropped, after.size());
        List<TrackedOrder> later = new ArrayList<>(after.subList(droppedAgain, after.size()));
        forms.dropFirst(droppedAgain);
        for (TrackedOrder order : orders(dropped + kept + added, added, eventId, account, price)) {
            later.add(order);
            forms.add(StateCodec.encodeOrder(order));
        }
        KeyState<TrackedOrder> laterState = KeyState.restore(later, through);
        assertThat(StateCodec.encodeState(laterState, wakeAt, forms))
                .isEqualTo(StateCodec.encodeState(laterState, wakeAt));
    }

    @Example
    void shouldRefuseStoredFormsThatDoNotMatchTheState() {
        KeyState<TrackedOrder> state = KeyState.restore(orders(0, 2, "e", "acc", 1.0), null);

        EventForms one = EventForms.empty();
        one.add(new byte[1]);

        assertThatThrownBy(() -> StateCodec.encodeState(state, 0, one))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("1 events for a state of 2");
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

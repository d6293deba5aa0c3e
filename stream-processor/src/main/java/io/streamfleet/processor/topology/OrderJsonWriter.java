package io.streamfleet.processor.topology;

import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.json.ContractMapper;
import io.streamfleet.contracts.json.PlainText;
import io.streamfleet.contracts.topic.Topics;
import org.apache.kafka.common.serialization.Serializer;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.io.NumberOutput;

/**
 * Writes an order event as the contract serde writes it (the canonical form of {@code orders.clean} and
 * {@code orders.late}: every field in declaration order, absent optional fields as {@code null}, the price as the
 * contract mapper formats a double), byte for byte, straight into one array instead of through databind's bean
 * serializer and a generator (about 6 % of the stream thread went to {@code ObjectMapper.writeValueAsBytes}).
 * <p>
 * It only writes events whose strings are printable ASCII other than {@code "} and {@code \} (nothing the contract
 * mapper escapes or encodes in several bytes) and whose price is finite; any other event goes to the contract serde
 * itself, so the output is always exactly the serde's. {@code OrderJsonWriterTest} holds it to the serde for generated
 * events, odd strings and numbers included.
 */
final class OrderJsonWriter implements Serializer<OrderEvent> {

    private static final byte[] EVENT_ID = ascii("{\"eventId\":\"");
    private static final byte[] ACCOUNT_ID = ascii("\",\"accountId\":\"");
    private static final byte[] SYMBOL = ascii("\",\"symbol\":\"");
    private static final byte[] EVENT_TYPE = ascii("\",\"eventType\":\"");
    private static final byte[] ORDER_ID = ascii("\",\"orderId\":");
    private static final byte[] SIDE = ascii(",\"side\":");
    private static final byte[] PRICE = ascii(",\"price\":");
    private static final byte[] QTY = ascii(",\"qty\":");
    private static final byte[] EVENT_TIME = ascii(",\"eventTimeMs\":");
    private static final byte[] NULL = ascii("null");

    private final Serializer<OrderEvent> fallback;
    private final boolean fastDoubles;
    private final Runnable onFallback;

    /** Over the contract serde and mapper of {@code orders.clean}. */
    OrderJsonWriter() {
        this(Topics.ORDER_EVENT_SERDE.serializer(),
                ContractMapper.shared().isEnabled(StreamWriteFeature.USE_FAST_DOUBLE_WRITER), () -> {
                });
    }

    /**
     * @param fallback    the contract serde's serializer, for every event this writer does not write itself
     * @param fastDoubles whether the contract mapper formats doubles with its fast writer
     * @param onFallback  called once per event handed to {@code fallback} (tests)
     */
    OrderJsonWriter(Serializer<OrderEvent> fallback, boolean fastDoubles, Runnable onFallback) {
        this.fallback = fallback;
        this.fastDoubles = fastDoubles;
        this.onFallback = onFallback;
    }

    @Override
    public byte[] serialize(String topic, OrderEvent event) {
        if (event == null) {
            return null;
        }
        byte[] written = write(event);
        if (written != null) {
            return written;
        }
        onFallback.run();
        return fallback.serialize(topic, event);
    }

    /** The serde's bytes, or null when the event is not one this writer writes. */
    private byte[] write(OrderEvent e) {
        if (!Double.isFinite(e.price()) || e.eventType() == null) {
            return null;
        }
        String eventId = e.eventId();
        String accountId = e.accountId();
        String symbol = e.symbol();
        String orderId = e.orderId();
        if (!plain(eventId) || !plain(accountId) || !plain(symbol) || orderId != null && !plain(orderId)) {
            return null;
        }
        String eventType = e.eventType().name();
        String side = e.side() == null ? null : e.side().name();
        String price = NumberOutput.toString(e.price(), fastDoubles);
        int length = EVENT_ID.length + eventId.length() + ACCOUNT_ID.length + accountId.length() + SYMBOL.length
                + symbol.length() + EVENT_TYPE.length + eventType.length() + ORDER_ID.length
                + (orderId == null ? NULL.length : orderId.length() + 2) + SIDE.length
                + (side == null ? NULL.length : side.length() + 2) + PRICE.length + price.length() + QTY.length
                + digits(e.qty()) + EVENT_TIME.length + digits(e.eventTimeMs()) + 1;
        byte[] out = new byte[length];
        int at = put(out, 0, EVENT_ID);
        at = put(out, at, eventId);
        at = put(out, at, ACCOUNT_ID);
        at = put(out, at, accountId);
        at = put(out, at, SYMBOL);
        at = put(out, at, symbol);
        at = put(out, at, EVENT_TYPE);
        at = put(out, at, eventType);
        at = put(out, at, ORDER_ID);
        at = orderId == null ? put(out, at, NULL) : quoted(out, at, orderId);
        at = put(out, at, SIDE);
        at = side == null ? put(out, at, NULL) : quoted(out, at, side);
        at = put(out, at, PRICE);
        at = put(out, at, price);
        at = put(out, at, QTY);
        at = putLong(out, at, e.qty());
        at = put(out, at, EVENT_TIME);
        at = putLong(out, at, e.eventTimeMs());
        out[at++] = '}';
        if (at != length) {
            throw new IllegalStateException("order writer miscounted: " + at + " of " + length + " bytes");
        }
        return out;
    }

    /** Printable ASCII that the contract mapper writes as is: one byte per char, no escape. */
    static boolean plain(String s) {
        return PlainText.isPlain(s);
    }

    private static int quoted(byte[] out, int at, String s) {
        out[at++] = '"';
        at = put(out, at, s);
        out[at++] = '"';
        return at;
    }

    private static int put(byte[] out, int at, byte[] bytes) {
        System.arraycopy(bytes, 0, out, at, bytes.length);
        return at + bytes.length;
    }

    /** {@code s} is plain (ASCII): one byte per char. */
    private static int put(byte[] out, int at, String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            out[at++] = (byte) s.charAt(i);
        }
        return at;
    }

    /** As {@link Long#toString(long)}, into {@code out}. */
    private static int putLong(byte[] out, int at, long value) {
        if (value == Long.MIN_VALUE) {
            return put(out, at, Long.toString(value));
        }
        if (value < 0) {
            out[at++] = '-';
            value = -value;
        }
        int end = at + digits(value);
        for (int i = end - 1; i >= at; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return end;
    }

    /** Length of {@link Long#toString(long)}. */
    static int digits(long value) {
        if (value == Long.MIN_VALUE) {
            return 20;
        }
        int sign = 0;
        if (value < 0) {
            sign = 1;
            value = -value;
        }
        int n = 1;
        for (long p = 10; n < 19 && value >= p; p *= 10) {
            n++;
        }
        return n + sign;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}

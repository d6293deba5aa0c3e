package io.streamfleet.gateway.intake;

import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.json.ContractMapper;
import io.streamfleet.contracts.json.PlainText;

import java.util.Arrays;

/**
 * The wire form of a valid event, the bytes published to Kafka: exactly what the contract mapper writes for the record
 * ({@code ContractMapper.shared().writeValueAsBytes(event)}: the record's fields in order, nulls written, numbers as
 * Jackson writes them), but written straight into a byte array without a generator or the bean serializer when every
 * string of the event is printable ASCII without {@code "} or {@code \} (nothing to escape or encode); any other event
 * goes through the mapper. {@code EventJsonTest} checks the bytes against the mapper's for generated events.
 */
final class EventJson {

    private EventJson() {
    }

    static byte[] bytes(Object event) {
        byte[] written = event instanceof OrderEvent order ? order(order)
                : event instanceof EngagementEvent engagement ? engagement(engagement) : null;
        return written != null ? written : ContractMapper.shared().writeValueAsBytes(event);
    }

    /** The order's JSON, or null when one of its strings needs escaping or is not ASCII. */
    static byte[] order(OrderEvent e) {
        if (!plain(e.eventId()) || !plain(e.accountId()) || !plain(e.symbol()) || !plain(e.orderId())) {
            return null;
        }
        Out out = new Out(160 + e.eventId().length() + e.accountId().length() + e.symbol().length()
                + (e.orderId() == null ? 0 : e.orderId().length()));
        out.raw("{\"eventId\":").string(e.eventId())
                .raw(",\"accountId\":").string(e.accountId())
                .raw(",\"symbol\":").string(e.symbol())
                .raw(",\"eventType\":").string(e.eventType() == null ? null : e.eventType().name())
                .raw(",\"orderId\":").string(e.orderId())
                .raw(",\"side\":").string(e.side() == null ? null : e.side().name())
                .raw(",\"price\":").raw(Double.toString(e.price()))
                .raw(",\"qty\":").raw(Long.toString(e.qty()))
                .raw(",\"eventTimeMs\":").raw(Long.toString(e.eventTimeMs()))
                .raw("}");
        return out.toBytes();
    }

    /** The engagement event's JSON, or null when one of its strings needs escaping or is not ASCII. */
    static byte[] engagement(EngagementEvent e) {
        if (!plain(e.eventId()) || !plain(e.userId()) || !plain(e.contentId())) {
            return null;
        }
        Out out = new Out(150 + e.eventId().length() + e.userId().length() + e.contentId().length());
        out.raw("{\"eventId\":").string(e.eventId())
                .raw(",\"userId\":").string(e.userId())
                .raw(",\"contentId\":").string(e.contentId())
                .raw(",\"eventType\":").string(e.eventType() == null ? null : e.eventType().wireName())
                .raw(",\"eventTimeMs\":").raw(Long.toString(e.eventTimeMs()))
                .raw(",\"dwellMs\":").raw(Long.toString(e.dwellMs()))
                .raw(",\"completed\":").raw(e.completed() ? "true" : "false")
                .raw("}");
        return out.toBytes();
    }

    /** Null, or printable ASCII with nothing JSON escapes: written as it is. */
    static boolean plain(String s) {
        return s == null || PlainText.isPlain(s);
    }

    /** A growing byte array for ASCII text. */
    private static final class Out {
        private byte[] buf;
        private int size;

        Out(int capacity) {
            buf = new byte[capacity];
        }

        Out raw(String ascii) {
            int n = ascii.length();
            ensure(n);
            for (int i = 0; i < n; i++) {
                buf[size++] = (byte) ascii.charAt(i);
            }
            return this;
        }

        Out string(String plain) {
            if (plain == null) {
                return raw("null");
            }
            ensure(plain.length() + 2);
            buf[size++] = '"';
            raw(plain);
            buf[size++] = '"';
            return this;
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }

        byte[] toBytes() {
            return size == buf.length ? buf : Arrays.copyOf(buf, size);
        }
    }
}

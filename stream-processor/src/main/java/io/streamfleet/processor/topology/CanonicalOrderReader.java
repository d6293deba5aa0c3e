package io.streamfleet.processor.topology;

import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.event.OrderEventType;
import io.streamfleet.contracts.event.Side;
import org.apache.kafka.common.serialization.Deserializer;

import java.nio.charset.StandardCharsets;

/**
 * Reads order documents laid out exactly as the contract serde writes them — the fields in declaration order, no
 * white space, strings of printable ASCII without escapes, plain JSON numbers — straight from the bytes, without a
 * JSON parser (creating a Jackson parser and walking its tokens was about 8 % of the stream thread). The gateway and
 * every producer using the contract serde write this layout, so nearly every raw order takes this path.
 * <p>
 * It answers only such documents and gives the contract serde's event for them; any other document (another field
 * order, white space, an escape, a non-ASCII character, an unknown or missing field, a number outside the plain forms,
 * anything malformed) goes to {@code next}, the streaming reader, which answers or hands it on to the contract serde.
 * So every document gets exactly the event or the error it got before. {@code CanonicalOrderReaderTest} holds it to
 * the contract serde for generated documents and their corruptions. Thread-safe (no state).
 */
final class CanonicalOrderReader implements Deserializer<OrderEvent> {

    /** Longer documents go to {@code next} (its parser enforces the contract mapper's limits). */
    static final int MAX_LENGTH = 4_096;
    /** Longer numbers go to {@code next}. */
    private static final int MAX_NUMBER = 32;

    private static final byte[] EVENT_ID = ascii("{\"eventId\":\"");
    private static final byte[] ACCOUNT_ID = ascii(",\"accountId\":\"");
    private static final byte[] SYMBOL = ascii(",\"symbol\":\"");
    private static final byte[] EVENT_TYPE = ascii(",\"eventType\":\"");
    private static final byte[] ORDER_ID = ascii(",\"orderId\":");
    private static final byte[] SIDE = ascii(",\"side\":");
    private static final byte[] PRICE = ascii(",\"price\":");
    private static final byte[] QTY = ascii(",\"qty\":");
    private static final byte[] EVENT_TIME = ascii(",\"eventTimeMs\":");
    private static final byte[] NULL = ascii("null");

    private final Deserializer<OrderEvent> next;

    CanonicalOrderReader(Deserializer<OrderEvent> next) {
        this.next = next;
    }

    @Override
    public OrderEvent deserialize(String topic, byte[] data) {
        OrderEvent event = data == null ? null : read(data);
        return event != null ? event : next.deserialize(topic, data);
    }

    /** The event of a document in the canonical layout, or null for any other document. */
    static OrderEvent read(byte[] b) {
        if (b.length > MAX_LENGTH) {
            return null;
        }
        Cursor c = new Cursor(b);
        if (!c.expect(EVENT_ID)) {
            return null;
        }
        String eventId = c.string();
        if (eventId == null || !c.expect(ACCOUNT_ID)) {
            return null;
        }
        String accountId = c.string();
        if (accountId == null || !c.expect(SYMBOL)) {
            return null;
        }
        String symbol = c.string();
        if (symbol == null || !c.expect(EVENT_TYPE)) {
            return null;
        }
        OrderEventType eventType = OrderEventType.ofExactName(c.string());
        if (eventType == null || !c.expect(ORDER_ID)) {
            return null;
        }
        String orderId = null;
        if (!c.expect(NULL)) {
            if (!c.expectByte('"') || (orderId = c.string()) == null) {
                return null;
            }
        }
        if (!c.expect(SIDE)) {
            return null;
        }
        Side side = null;
        if (!c.expect(NULL)) {
            if (!c.expectByte('"') || (side = Side.ofExactName(c.string())) == null) {
                return null;
            }
        }
        if (!c.expect(PRICE)) {
            return null;
        }
        int priceStart = c.at;
        int priceKind = c.number();
        if (priceKind == Cursor.NOT_A_NUMBER) {
            return null;
        }
        int priceEnd = c.numberEnd;
        // as the parser: an integer token is read as a long and widened, a decimal one parsed (correctly rounded)
        double price;
        if (priceKind == Cursor.INTEGER) {
            Long integer = parseLong(c.text(priceStart, priceEnd));
            if (integer == null) {
                return null;
            }
            price = (double) integer;
        } else {
            price = Double.parseDouble(c.text(priceStart, priceEnd));
        }
        if (!Double.isFinite(price) || !c.expect(QTY)) {
            return null;
        }
        int qtyStart = c.at;
        if (c.number() != Cursor.INTEGER) {
            return null;
        }
        Long qty = parseLong(c.text(qtyStart, c.numberEnd));
        if (qty == null || !c.expect(EVENT_TIME)) {
            return null;
        }
        int timeStart = c.at;
        if (c.number() != Cursor.INTEGER) {
            return null;
        }
        Long eventTime = parseLong(c.text(timeStart, c.numberEnd));
        if (eventTime == null || !c.expectByte('}') || c.at != b.length) {
            return null;
        }
        return new OrderEvent(eventId, accountId, symbol, eventType, orderId, side, price, qty, eventTime);
    }

    /** A position in one document. */
    private static final class Cursor {
        static final int NOT_A_NUMBER = 0;
        /** {@code -?(0|[1-9][0-9]{0,18})}: a JSON integer of at most 19 digits (a long unless it overflows). */
        static final int INTEGER = 1;
        /** A JSON number with a fraction or an exponent. */
        static final int DECIMAL = 2;

        private final byte[] b;
        int at;
        int numberEnd;

        Cursor(byte[] b) {
            this.b = b;
        }

        boolean expect(byte[] literal) {
            if (b.length - at < literal.length) {
                return false;
            }
            for (int i = 0; i < literal.length; i++) {
                if (b[at + i] != literal[i]) {
                    return false;
                }
            }
            at += literal.length;
            return true;
        }

        boolean expectByte(char ch) {
            if (at < b.length && b[at] == ch) {
                at++;
                return true;
            }
            return false;
        }

        /**
         * The string from here to the next {@code "} (consumed), or null when a byte on the way is not printable
         * ASCII or is a backslash (an escape: left to the parser), or the document ends first.
         */
        String string() {
            int start = at;
            for (int i = start; i < b.length; i++) {
                byte ch = b[i];
                if (ch == '"') {
                    at = i + 1;
                    return new String(b, start, i - start, StandardCharsets.ISO_8859_1);
                }
                if (ch < 0x20 || ch > 0x7e || ch == '\\') {
                    return null;
                }
            }
            return null;
        }

        /**
         * Consumes a JSON number in its strict grammar ({@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}) and
         * tells its kind; {@link #numberEnd} is where it ends. Integers of more than 19 digits and numbers longer than
         * {@value #MAX_NUMBER} characters are {@link #NOT_A_NUMBER} here (left to the parser).
         */
        int number() {
            int start = at;
            int i = at;
            if (i < b.length && b[i] == '-') {
                i++;
            }
            int digitsStart = i;
            if (i < b.length && b[i] == '0') {
                i++;
            } else {
                while (i < b.length && isDigit(b[i])) {
                    i++;
                }
            }
            int intDigits = i - digitsStart;
            if (intDigits == 0) {
                return NOT_A_NUMBER;
            }
            boolean decimal = false;
            if (i < b.length && b[i] == '.') {
                int fraction = ++i;
                while (i < b.length && isDigit(b[i])) {
                    i++;
                }
                if (i == fraction) {
                    return NOT_A_NUMBER;
                }
                decimal = true;
            }
            if (i < b.length && (b[i] == 'e' || b[i] == 'E')) {
                i++;
                if (i < b.length && (b[i] == '+' || b[i] == '-')) {
                    i++;
                }
                int exponent = i;
                while (i < b.length && isDigit(b[i])) {
                    i++;
                }
                if (i == exponent) {
                    return NOT_A_NUMBER;
                }
                decimal = true;
            }
            if (i - start > MAX_NUMBER || !decimal && intDigits > 19) {
                return NOT_A_NUMBER;
            }
            at = i;
            numberEnd = i;
            return decimal ? DECIMAL : INTEGER;
        }

        String text(int from, int to) {
            return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        }

        private static boolean isDigit(byte ch) {
            return ch >= '0' && ch <= '9';
        }
    }

    /** The long, or null when it does not fit one (the parser reads it as a big integer: left to it). */
    private static Long parseLong(String integer) {
        try {
            return Long.parseLong(integer);
        } catch (NumberFormatException e) {
            return null;
        }
    }



    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}

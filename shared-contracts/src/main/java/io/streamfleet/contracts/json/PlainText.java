package io.streamfleet.contracts.json;

/**
 * The strings the contract mapper writes as they are: printable ASCII other than {@code "} and {@code \}, one byte per
 * char, nothing escaped or encoded in several bytes. The hand-written JSON writers of the services (gateway, stream
 * processor, session analytics) write such a string's chars straight into their bytes and hand any other string to
 * the contract serde, so this is the one place that says which strings that is.
 */
public final class PlainText {

    private PlainText() {
    }

    /** Whether {@code s} is written as is by the contract mapper; false for null. */
    public static boolean isPlain(String s) {
        if (s == null) {
            return false;
        }
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }
}

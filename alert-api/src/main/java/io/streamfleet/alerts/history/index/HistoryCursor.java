package io.streamfleet.alerts.history.index;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where a history page ended: the (detectedAtMs, alertId) of its last item, as opaque URL-safe base64. The next page
 * starts strictly after it, so pages never overlap or skip even when alerts arrive between requests.
 */
public record HistoryCursor(long detectedAtMs, String alertId) {

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((detectedAtMs + ":" + alertId).getBytes(StandardCharsets.UTF_8));
    }

    public static HistoryCursor decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                throw new IllegalArgumentException("cursor: malformed");
            }
            return new HistoryCursor(Long.parseLong(text.substring(0, colon)), text.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cursor: not a cursor returned by this API");
        }
    }
}

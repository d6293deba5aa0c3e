package io.streamfleet.alerts.it;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * A receiver's check written from the Standard Webhooks specification alone (it shares no code with alert-api's
 * signer): the key is the base64 after {@code whsec_}; the signed content is {@code id.timestamp.body}; the header
 * holds space-separated {@code v1,<base64>} signatures, any of which may match; the timestamp must be within the
 * tolerance (5 minutes, as the reference libraries use) to refuse replays.
 */
final class StandardWebhooksVerifier {

    static final long TOLERANCE_SECONDS = 300;

    private StandardWebhooksVerifier() {
    }

    static boolean verify(String secret, LoopbackReceiver.Received request) {
        return verify(secret, request.header("webhook-id"), request.header("webhook-timestamp"), request.body(),
                request.header("webhook-signature"), System.currentTimeMillis() / 1000);
    }

    static boolean verify(String secret, String id, String timestamp, byte[] body, String signatureHeader,
                          long nowSeconds) {
        if (id == null || timestamp == null || signatureHeader == null) {
            return false;
        }
        long sentAt;
        try {
            sentAt = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(nowSeconds - sentAt) > TOLERANCE_SECONDS) {
            return false;
        }
        byte[] expected = hmac(Base64.getDecoder().decode(secret.substring("whsec_".length())),
                (id + "." + timestamp + "." + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        for (String candidate : signatureHeader.split(" ")) {
            int comma = candidate.indexOf(',');
            if (comma > 0 && candidate.substring(0, comma).equals("v1")) {
                byte[] given;
                try {
                    given = Base64.getDecoder().decode(candidate.substring(comma + 1));
                } catch (IllegalArgumentException e) {
                    continue;
                }
                if (MessageDigest.isEqual(expected, given)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static byte[] hmac(byte[] key, byte[] content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

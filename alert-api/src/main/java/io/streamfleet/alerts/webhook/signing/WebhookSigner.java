package io.streamfleet.alerts.webhook.signing;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.StringJoiner;

/**
 * Signs webhook payloads per the Standard Webhooks specification: {@code v1,<base64 HMAC-SHA256>} over
 * {@code <webhook-id>.<webhook-timestamp>.<body>}, keyed with the decoded secret. During a secret rotation the header
 * carries one signature per valid secret, space separated, so receivers holding either secret accept it.
 */
public final class WebhookSigner {

    private WebhookSigner() {
    }

    /** One {@code v1,...} signature. */
    public static String sign(String webhookId, long timestampSeconds, byte[] body, String secret) {
        byte[] key = WebhookSecret.keyOf(secret);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((webhookId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }

    /** The {@code webhook-signature} header value: the signatures of every secret, space separated. */
    public static String signatureHeader(String webhookId, long timestampSeconds, byte[] body, List<String> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one secret is needed to sign");
        }
        StringJoiner header = new StringJoiner(" ");
        for (String secret : secrets) {
            header.add(sign(webhookId, timestampSeconds, body, secret));
        }
        return header.toString();
    }
}

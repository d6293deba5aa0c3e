package io.streamfleet.alerts.webhook.signing;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookSignerTest {

    @Test
    void shouldReproduceThePublishedStandardWebhooksVectorWhenSigning() {
        String signature = WebhookSigner.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void shouldBeVerifiedByAnIndependentReceiverWhenSignedWithAGeneratedSecret() throws Exception {
        String secret = WebhookSecret.generate(new SecureRandom());
        byte[] body = "{\"type\":\"ENGAGEMENT_DROP\",\"data\":{\"alertId\":\"x\"}}".getBytes(StandardCharsets.UTF_8);
        String header = WebhookSigner.signatureHeader("alert-1", 1_700_000_000, body, List.of(secret));

        assertThat(Receiver.verify(secret, "alert-1", "1700000000", body, header)).isTrue();
        assertThat(Receiver.verify(secret, "alert-2", "1700000000", body, header)).isFalse();
        assertThat(Receiver.verify(secret, "alert-1", "1700000001", body, header)).isFalse();
        assertThat(Receiver.verify(secret, "alert-1", "1700000000", "{}".getBytes(StandardCharsets.UTF_8), header))
                .isFalse();
        assertThat(Receiver.verify(WebhookSecret.generate(new SecureRandom()), "alert-1", "1700000000", body, header))
                .isFalse();
    }

    @Test
    void shouldSignWithEverySecretWhenRotating() throws Exception {
        String current = WebhookSecret.generate(new SecureRandom());
        String previous = WebhookSecret.generate(new SecureRandom());
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String header = WebhookSigner.signatureHeader("id", 42, body, List.of(current, previous));

        assertThat(header.split(" ")).hasSize(2);
        assertThat(Receiver.verify(current, "id", "42", body, header)).isTrue();
        assertThat(Receiver.verify(previous, "id", "42", body, header)).isTrue();
    }

    @Test
    void shouldGenerateSecretsInTheWhsecFormWhenAsked() {
        String secret = WebhookSecret.generate(new SecureRandom());
        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSize(WebhookSecret.KEY_BYTES);
        assertThat(WebhookSecret.generate(new SecureRandom())).isNotEqualTo(secret);
    }

    @Test
    void shouldRefuseSecretsWhenNotInTheWhsecForm() {
        assertThatThrownBy(() -> WebhookSecret.keyOf("abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebhookSecret.keyOf("whsec_!!!")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebhookSecret.keyOf("whsec_")).isInstanceOf(IllegalArgumentException.class);
    }

    /** A receiver written from the Standard Webhooks specification alone, sharing no code with the signer. */
    static final class Receiver {
        static boolean verify(String secret, String id, String timestamp, byte[] body, String header) throws Exception {
            byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] signedContent = concat((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8), body);
            byte[] expected = mac.doFinal(signedContent);
            for (String versioned : header.split(" ")) {
                String[] parts = versioned.split(",", 2);
                if (parts.length == 2 && parts[0].equals("v1")
                        && MessageDigest.isEqual(expected, Base64.getDecoder().decode(parts[1]))) {
                    return true;
                }
            }
            return false;
        }

        private static byte[] concat(byte[] a, byte[] b) {
            byte[] all = new byte[a.length + b.length];
            System.arraycopy(a, 0, all, 0, a.length);
            System.arraycopy(b, 0, all, a.length, b.length);
            return all;
        }
    }
}

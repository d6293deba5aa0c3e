package io.streamfleet.drills;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The drill's webhook endpoint: Standard Webhooks verification (the specification's published vector) and modes. */
class WebhookReceiverTest {

    // test vector of the Standard Webhooks specification
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final String TIMESTAMP = "1614265330";
    private static final String BODY = "{\"test\": 2432232314}";
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final WebhookReceiver receiver = new WebhookReceiver("unit", 300);

    @AfterEach
    void stop() {
        receiver.close();
    }

    private HttpResponse<String> post(String signature, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(receiver.url())).timeout(Duration.ofSeconds(5))
                .header("webhook-id", ID).header("webhook-timestamp", TIMESTAMP)
                .header("webhook-signature", signature).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldRecordADeliveryWhenTheSignatureMatchesThePublishedVector() throws Exception {
        receiver.secret(SECRET);

        assertThat(post("v0,other " + SIGNATURE, BODY).statusCode()).isEqualTo(204);

        assertThat(receiver.requests()).singleElement().satisfies(r -> {
            assertThat(r.webhookId()).isEqualTo(ID);
            assertThat(r.signatureValid()).isTrue();
        });
        assertThat(receiver.delivered()).containsOnlyKeys(ID);
        assertThat(receiver.badSignatures()).isZero();
    }

    @Test
    void shouldCountABadSignatureWhenTheBodyWasAltered() throws Exception {
        receiver.secret(SECRET);

        post(SIGNATURE, "{\"test\": 2432232315}");

        assertThat(receiver.badSignatures()).isEqualTo(1);
        assertThat(receiver.delivered()).isEmpty();
    }

    @Test
    void shouldAnswerAsTheModeSaysWhenSwitched() throws Exception {
        receiver.secret(SECRET);
        receiver.mode(WebhookReceiver.Mode.FAIL_500);
        assertThat(post(SIGNATURE, BODY).statusCode()).isEqualTo(500);
        receiver.mode(WebhookReceiver.Mode.THROTTLE_429);
        HttpResponse<String> throttled = post(SIGNATURE, BODY);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).contains("2");
        receiver.mode(WebhookReceiver.Mode.SLOW);
        long start = System.nanoTime();
        assertThat(post(SIGNATURE, BODY).statusCode()).isEqualTo(204);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(receiver.delivered()).containsOnlyKeys(ID);
        assertThat(receiver.requests()).extracting(WebhookReceiver.Request::answered).containsExactly(500, 429, 204);
    }

    @Test
    void shouldRefuseConnectionsWhenDownAndListenOnTheSamePortWhenBack() throws Exception {
        receiver.secret(SECRET);
        receiver.mode(WebhookReceiver.Mode.DOWN);
        assertThatThrownBy(() -> post(SIGNATURE, BODY)).isInstanceOf(ConnectException.class);

        receiver.mode(WebhookReceiver.Mode.OK);

        assertThat(post(SIGNATURE, BODY).statusCode()).isEqualTo(204);
    }
}

package io.streamfleet.bench.driver;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How the gateway's answers (docs/ingest-gateway.md, HTTP, WebSocket and Overload) become accepted events and resends. */
class GatewayResponsesTest {

    @Test
    void shouldResendEveryEventOfAnOverloaded503RefusedBeforeItsBodyWasParsed() {
        SendResult r = GatewayResponses.read(3, 503, "{\"type\":\"urn:streamfleet:problem:overloaded\","
                + "\"status\":503,\"retryAfterSeconds\":1}", "1");

        assertThat(r.accepted()).isZero();
        assertThat(r.outcome()).isEqualTo("503-overloaded");
        assertThat(r.resend()).isEqualTo(new SendResult.Resend(List.of(0, 1, 2), 1_000, "overloaded"));
    }

    @Test
    void shouldResendOnlyTheUnavailableEventsOfA503NotThoseRejectedAsInvalid() {
        String body = "{\"type\":\"urn:streamfleet:problem:overloaded\",\"retryAfterSeconds\":2,\"results\":["
                + "{\"index\":0,\"status\":\"unavailable\",\"reason\":\"overloaded\"},"
                + "{\"index\":1,\"status\":\"rejected\",\"reason\":\"missing_field\"},"
                + "{\"index\":2,\"status\":\"unavailable\",\"reason\":\"overloaded\"}]}";

        SendResult r = GatewayResponses.read(3, 503, body, null);

        assertThat(r.resend()).as("no header: the body's retryAfterSeconds")
                .isEqualTo(new SendResult.Resend(List.of(0, 2), 2_000, "overloaded"));
    }

    @Test
    void shouldNameTheKafkaFailureOfAnUnavailable503AsTheResendReason() {
        String body = "{\"type\":\"urn:streamfleet:problem:unavailable\",\"results\":["
                + "{\"index\":0,\"status\":\"unavailable\",\"reason\":\"circuit_open\"}]}";

        SendResult r = GatewayResponses.read(1, 503, body, "5");

        assertThat(r.outcome()).isEqualTo("503-unavailable");
        assertThat(r.resend()).isEqualTo(new SendResult.Resend(List.of(0), 5_000, "circuit_open"));
    }

    @Test
    void shouldResendARateLimitedRequestAfterItsRetryAfter() {
        SendResult r = GatewayResponses.read(2, 429, "{\"type\":\"urn:streamfleet:problem:rate-limited\"}", "1");

        assertThat(r.resend()).isEqualTo(new SendResult.Resend(List.of(0, 1), 1_000, "rate_limited"));
    }

    @Test
    void shouldNotResendARefusalThatGivesNoDelay() {
        assertThat(GatewayResponses.read(2, 503, "", null).resend()).isNull();
        assertThat(GatewayResponses.read(2, 400, "{\"retryAfterSeconds\":1}", "1").resend()).isNull();
    }

    @Test
    void shouldKnowWhichEventsOfA207WereAcceptedAndResendItsUnavailableOnes() {
        String body = "{\"accepted\":1,\"rejected\":1,\"unavailable\":1,\"results\":["
                + "{\"index\":0,\"status\":\"rejected\",\"reason\":\"wrong_type\"},"
                + "{\"index\":1,\"status\":\"accepted\"},"
                + "{\"index\":2,\"status\":\"unavailable\",\"reason\":\"overloaded\"}]}";

        SendResult r = GatewayResponses.read(3, 207, body, "1");

        assertThat(r.accepted()).isEqualTo(1);
        assertThat(r.accepted(0)).isFalse();
        assertThat(r.accepted(1)).isTrue();
        assertThat(r.accepted(2)).isFalse();
        assertThat(r.resend()).isEqualTo(new SendResult.Resend(List.of(2), 1_000, "overloaded"));
    }

    @Test
    void shouldReadAWebSocketAckWithRetryAfterMsAsAResendOfThatEvent() {
        SendResult r = WebSocketTransport.ack("{\"seq\":4,\"eventId\":\"e1\",\"status\":\"unavailable\","
                + "\"reason\":\"overloaded\",\"error\":\"x\",\"retryAfterMs\":1000}");
        SendResult rejected = WebSocketTransport.ack("{\"seq\":5,\"eventId\":\"e2\",\"status\":\"rejected\","
                + "\"reason\":\"missing_field\",\"error\":\"x\"}");

        assertThat(r.outcome()).isEqualTo("ws-unavailable-overloaded");
        assertThat(r.resend()).isEqualTo(new SendResult.Resend(List.of(0), 1_000, "overloaded"));
        assertThat(rejected.resend()).isNull();
        assertThat(WebSocketTransport.ack("{\"status\":\"accepted\"}").accepted()).isEqualTo(1);
    }
}

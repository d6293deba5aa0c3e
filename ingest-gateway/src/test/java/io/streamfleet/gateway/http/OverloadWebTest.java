package io.streamfleet.gateway.http;

import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.gateway.admission.AdmissionControl;
import io.streamfleet.gateway.admission.AdmissionLimits;
import io.streamfleet.gateway.intake.EventIntake;
import io.streamfleet.gateway.intake.IntakeLimits;
import io.streamfleet.gateway.publishing.AdmittingEventSink;
import io.streamfleet.gateway.publishing.GatewayMetrics;
import io.streamfleet.gateway.publishing.IngestService;
import io.streamfleet.gateway.publishing.RecordingSink;
import io.streamfleet.gateway.publishing.RetryAfterPolicy;
import io.streamfleet.gateway.security.RequestGuard;
import io.streamfleet.support.security.ApiKey;
import io.streamfleet.support.security.ApiKeyAuthenticator;
import io.streamfleet.support.security.Scopes;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static io.streamfleet.gateway.intake.Bodies.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP face of the admission rule: an overloaded gateway answers 503 {@code overloaded} with Retry-After at once
 * and sends nothing of the request. The publishes "in flight" are real tickets of the real rule on a clock the test
 * moves.
 */
class OverloadWebTest {

    static final String KEY = "writer-secret";

    final AtomicLong nanos = new AtomicLong(5_000_000_000L);
    final AdmissionControl admission = new AdmissionControl(
            new AdmissionLimits(Duration.ofMillis(600), 5, Duration.ofSeconds(2)), nanos::get);
    final RecordingSink kafka = new RecordingSink();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final WebTestClient client = client();

    private WebTestClient client() {
        GatewayMetrics metrics = new GatewayMetrics(registry);
        metrics.admission(admission);
        IngestService service = new IngestService(new EventIntake(new IntakeLimits(8192, 10, 8, 512, 300_000)),
                new AdmittingEventSink(kafka, admission, metrics), metrics,
                new RetryAfterPolicy(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(2)),
                Clock.systemUTC(), admission);
        RequestGuard guard = new RequestGuard(new ApiKeyAuthenticator(List.of(
                new ApiKey("writer", ApiKeyAuthenticator.sha256Hex(KEY), Set.of(Scopes.EVENTS_WRITE), 0))),
                RateLimiterRegistry.ofDefaults(), Scopes.EVENTS_WRITE);
        return WebTestClient.bindToRouterFunction(new EventRoutes(service, guard, metrics)).build();
    }

    private WebTestClient.ResponseSpec post(String body) {
        return client.post().uri("/v1/orders").header("Authorization", "Bearer " + KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private static String orders(int n) {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            body.append(i == 0 ? "" : ",").append(order("o-" + i, "acc", "AAPL", System.currentTimeMillis()));
        }
        return body.append("]").toString();
    }

    @Test
    void shouldRefuseUnreadWith503OverloadedAndRetryAfterWhileTheOldestPublishIsHalfOfMaxHoldOld() {
        AdmissionControl.Ticket stuck = admission.tryAdmit(1).ticket();
        nanos.addAndGet(300_000_000L);

        post(order("o-1", "acc", "AAPL", System.currentTimeMillis()))
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "2")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:streamfleet:problem:overloaded")
                .jsonPath("$.title").isEqualTo("The gateway is overloaded")
                .jsonPath("$.retryAfterSeconds").isEqualTo(2)
                .jsonPath("$.detail").value(detail -> assertThat((String) detail)
                        .contains("waited 300 ms", "max-hold (600 ms)", "Nothing of this request was sent"));

        assertThat(kafka.received).as("nothing of a refused request is sent").isEmpty();
        assertThat(registry.get("streamfleet.gateway.admission.refused").tag("reason", "hold_age").counter().count())
                .isEqualTo(1.0);
        assertThat(registry.get("streamfleet.gateway.requests.refused").tag("reason", "overloaded").counter()
                .count()).isEqualTo(1.0);
        assertThat(registry.get("streamfleet.gateway.admission.oldest.age.ms").gauge().value()).isEqualTo(300.0);

        stuck.release();
        post(order("o-1", "acc", "AAPL", System.currentTimeMillis())).expectStatus().isAccepted();
        assertThat(kafka.received).hasSize(1);
    }

    @Test
    void shouldRefuseAParsedBatchPerEventWhenItWouldTakeTheEventsInFlightAboveTheCap() {
        AdmissionControl.Ticket three = admission.tryAdmit(3).ticket();

        post(orders(3))
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "2")
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:streamfleet:problem:overloaded")
                .jsonPath("$.unavailable").isEqualTo(3)
                .jsonPath("$.results[2].reason").isEqualTo("overloaded")
                .jsonPath("$.retryAfterSeconds").isEqualTo(2);

        assertThat(kafka.received).isEmpty();
        assertThat(registry.get("streamfleet.gateway.admission.refused").tag("reason", "in_flight_events").counter()
                .count()).isEqualTo(1.0);
        assertThat(registry.get("streamfleet.gateway.events.unavailable").tag("reason", "overloaded").counter()
                .count()).isEqualTo(3.0);

        post(orders(2)).expectStatus().isAccepted();
        three.release();
        assertThat(admission.inFlightEvents()).as("the answered publish released its events").isZero();
        assertThat(registry.get("streamfleet.gateway.admission.hold").tag("outcome", "acked").timer().count())
                .isEqualTo(1);
    }
}

package io.streamfleet.gateway.http;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.contracts.Contracts;
import io.streamfleet.gateway.intake.EventKind;
import io.streamfleet.gateway.intake.IntakeLimits;
import io.streamfleet.gateway.publishing.RecordingSink;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Fuzzes whole HTTP requests: never a 5xx, and nothing the contract readers refuse reaches the sink. */
class EventRoutesFuzzTest {

    private final RecordingSink sink = new RecordingSink();
    private final WebTestClient client = EventRoutesWebTest.client(sink, new SimpleMeterRegistry(),
            IntakeLimits.defaults());

    @Property(tries = 300)
    void shouldNeverAnswer5xxNorForwardInvalidEventsWhenBodyIsFuzzed(@ForAll("bodies") String body,
                                                                    @ForAll("paths") String path,
                                                                    @ForAll("types") String type) {
        int status = client.post().uri(path)
                .header("Authorization", "Bearer " + EventRoutesWebTest.KEY)
                .contentType(MediaType.parseMediaType(type))
                .bodyValue(body.getBytes(StandardCharsets.UTF_8))
                .exchange()
                .returnResult(byte[].class).getStatus().value();
        assertThat(status).isBetween(200, 499);
        assertThat(sink.received).allSatisfy(event -> assertThat(event.kind() == EventKind.ORDER
                ? Contracts.orderEventReader().read(event.payload()).isValid()
                : Contracts.engagementEventReader().read(event.payload()).isValid()).isTrue());
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.of("/v1/events", "/v1/orders", "/v1/engagement");
    }

    @Provide
    Arbitrary<String> types() {
        return Arbitraries.of("application/json", "application/x-ndjson", "application/json;charset=UTF-8",
                "text/plain", "application/xml");
    }

    @Provide
    Arbitrary<String> bodies() {
        long now = System.currentTimeMillis();
        Arbitrary<String> event = Arbitraries.of(
                io.streamfleet.gateway.intake.Bodies.order("o-1", "acc", "AAPL", now),
                io.streamfleet.gateway.intake.Bodies.engagement("e-1", "u-1"));
        Arbitrary<String> mutated = event.flatMap(e -> Arbitraries.integers().between(0, e.length() - 1)
                .flatMap(at -> Arbitraries.strings().ofMaxLength(6).map(s -> e.substring(0, at) + s
                        + e.substring(Math.min(e.length(), at + 3)))));
        Arbitrary<String> batch = Arbitraries.oneOf(event, mutated).list().ofMinSize(1).ofMaxSize(5)
                .map(list -> "[" + String.join(",", list) + "]");
        Arbitrary<String> lines = Arbitraries.oneOf(event, mutated).list().ofMinSize(1).ofMaxSize(5)
                .map(list -> String.join("\n", list));
        return Arbitraries.oneOf(event, mutated, batch, lines, Arbitraries.strings().ofMaxLength(100));
    }
}

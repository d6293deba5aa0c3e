package io.streamfleet.support.query;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Forwarding and errors of the query routing, against a real HTTP peer; owner lookup: InteractiveQueriesIT. */
class InteractiveQueriesTest {

    /** Generous: the first call of a WebClient sets up its connector, which on a loaded 2-core machine takes a while. */
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static InteractiveQueries queries(KafkaStreams.State state) {
        return queries(state, TIMEOUT);
    }

    private static InteractiveQueries queries(KafkaStreams.State state, Duration forwardTimeout) {
        return new InteractiveQueries(() -> null, () -> state, "127.0.0.1:1", WebClient.create(), forwardTimeout);
    }

    @Test
    void shouldMarkTheCallAsForwardedSoTheOwnerAnswersItLocallyWhenForwarding() throws IOException {
        try (PeerInstance owner = PeerInstance.answering(200, "owner's answer")) {
            InteractiveQueries queries = queries(KafkaStreams.State.RUNNING);

            String answer = queries.bounded(queries.get(owner.host(), "/v1/things/{id}?from={from}", "acc|SYM", 5)
                    .bodyToMono(String.class), "owner " + owner.host()).block();

            assertThat(answer).isEqualTo("owner's answer");
            assertThat(owner.requests()).containsExactly(
                    new PeerInstance.Request("/v1/things/acc%7CSYM?from=5", "true"));
        }
    }

    @Test
    void shouldAnswerUnavailableProblemNamingTheOwnerWhenItDoesNotAnswerWithinTheTimeout() throws IOException {
        try (PeerInstance owner = PeerInstance.answeringAfter(60_000, "too late")) {
            InteractiveQueries queries = queries(KafkaStreams.State.RUNNING, Duration.ofSeconds(2));
            long started = System.nanoTime();

            assertUnavailable(() -> queries.bounded(queries.get(owner.host(), "/v1/things").bodyToMono(String.class),
                    "owner " + owner.host()).block(), "owner " + owner.host() + " did not answer");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        }
    }

    @Test
    void shouldAnswerUnavailableProblemWhenTheOwnerIsUnreachable() throws IOException {
        HostInfo closed = new HostInfo("127.0.0.1", closedPort());
        InteractiveQueries queries = queries(KafkaStreams.State.RUNNING);

        assertUnavailable(() -> queries.bounded(queries.get(closed, "/v1/things").bodyToMono(String.class),
                "owner " + closed).block(), "owner " + closed + " did not answer");
    }

    @Test
    void shouldAnswerUnavailableProblemWhenTheOwnerAnswersWithAnError() throws IOException {
        try (PeerInstance owner = PeerInstance.answering(503, "")) {
            InteractiveQueries queries = queries(KafkaStreams.State.RUNNING);

            assertUnavailable(() -> queries.bounded(queries.get(owner.host(), "/v1/things").bodyToMono(String.class),
                    "instance " + owner.host()).block(), "instance " + owner.host() + " did not answer: 503");
        }
    }

    @Test
    void shouldAnswerUnavailableProblemNamingTheStateWhenKafkaStreamsIsNotRunning() {
        assertUnavailable(() -> queries(KafkaStreams.State.REBALANCING).running(),
                "Kafka Streams is REBALANCING, not RUNNING");
        assertUnavailable(() -> queries(KafkaStreams.State.PENDING_SHUTDOWN).byKey("store", "k", false,
                client -> "never", owner -> Mono.just("never")), "Kafka Streams is PENDING_SHUTDOWN, not RUNNING");
    }

    @Test
    void shouldAnswerUnavailableProblemWhenTheStoreIsNotQueryableRightNow() {
        Mono<String> read = queries(KafkaStreams.State.RUNNING).local(() -> {
            throw new InvalidStateStoreException("the store is migrating");
        });

        assertUnavailable(read::block, "state store not queryable right now: the store is migrating");
    }

    @Test
    void shouldAnswerEmptyWhenTheLocalReadFindsNothing() {
        assertThat(queries(KafkaStreams.State.RUNNING).local(() -> null).blockOptional()).isEmpty();
    }

    private static void assertUnavailable(Runnable call, String detailStart) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ErrorResponseException.class, e -> {
            assertThat(e.getStatusCode().value()).isEqualTo(503);
            assertThat(e.getBody().getType()).isEqualTo(URI.create("urn:streamfleet:problem:unavailable"));
            assertThat(e.getBody().getDetail()).startsWith(detailStart);
        });
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

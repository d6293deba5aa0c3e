package io.streamfleet.session.query;

import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.session.baseline.Baseline;
import io.streamfleet.session.topology.SessionStores;
import io.streamfleet.support.streams.ManagedKafkaStreams;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;

/**
 * A user's baseline over interactive queries. The instance whose active task owns the user answers; any other
 * instance forwards the call over HTTP to the owner's {@code application.server}. Forwarded calls carry
 * {@value #FORWARDED} and are always answered locally, so a stale routing table cannot loop.
 */
public final class BaselineQueryService {

    public static final String FORWARDED = "X-Streamfleet-Forwarded";

    private final ManagedKafkaStreams streams;
    private final WebClient http;
    private final Duration remoteTimeout;

    public BaselineQueryService(ManagedKafkaStreams streams, WebClient http, Duration remoteTimeout) {
        this.streams = streams;
        this.http = http;
        this.remoteTimeout = remoteTimeout;
    }

    /** The user's baseline; empty when the user has none yet. */
    public Mono<UserBaseline> baseline(String userId, boolean forwarded) {
        KafkaStreams client = running();
        if (forwarded) {
            return local(client, userId);
        }
        KeyQueryMetadata owner = client.queryMetadataForKey(SessionStores.BASELINES, userId, Topics.KEY.serializer());
        if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)) {
            return Mono.error(unavailable("no instance owns user " + userId + " right now (rebalancing)"));
        }
        if (isSelf(owner.activeHost())) {
            return local(client, userId);
        }
        HostInfo host = owner.activeHost();
        return http.get().uri("http://" + host.host() + ":" + host.port() + "/v1/users/{user}/baseline", userId)
                .header(FORWARDED, "true").retrieve().bodyToMono(UserBaseline.class).timeout(remoteTimeout)
                .onErrorResume(WebClientResponseException.NotFound.class, e -> Mono.empty())
                .onErrorMap(e -> !(e instanceof ResponseStatusException),
                        e -> unavailable("owner " + host + " did not answer: " + e.getMessage()));
    }

    private Mono<UserBaseline> local(KafkaStreams client, String userId) {
        return Mono.fromCallable(() -> {
            try {
                ReadOnlyKeyValueStore<String, Baseline> store = client.store(StoreQueryParameters.fromNameAndType(
                        SessionStores.BASELINES, QueryableStoreTypes.<String, Baseline>keyValueStore()));
                Baseline baseline = store.get(userId);
                return baseline == null ? null : UserBaseline.of(userId, baseline);
            } catch (InvalidStateStoreException e) {
                throw unavailable("baseline store not queryable right now: " + e.getMessage());
            }
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private boolean isSelf(HostInfo host) {
        String self = streams.settings().applicationServer();
        return self.isBlank() || self.equals(host.host() + ":" + host.port());
    }

    private KafkaStreams running() {
        KafkaStreams client = streams.client();
        if (client == null || streams.state() != KafkaStreams.State.RUNNING) {
            throw unavailable("Kafka Streams is " + streams.state() + ", not RUNNING");
        }
        return client;
    }

    private static ResponseStatusException unavailable(String reason) {
        return new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, reason);
    }
}

package io.streamfleet.session.query;

import io.streamfleet.session.baseline.Baseline;
import io.streamfleet.session.topology.SessionStores;
import io.streamfleet.support.query.InteractiveQueries;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;

/**
 * A user's baseline over interactive queries, answered where the user's baseline lives ({@link InteractiveQueries}:
 * owner lookup, forwarding, errors). The owner's 404 (no baseline yet) stays a 404 here.
 */
public final class BaselineQueryService {

    private final InteractiveQueries queries;

    public BaselineQueryService(InteractiveQueries queries) {
        this.queries = queries;
    }

    /** The user's baseline; empty when the user has none yet. */
    public Mono<UserBaseline> baseline(String userId, boolean forwarded) {
        return queries.byKey(SessionStores.BASELINES, userId, forwarded, client -> read(client, userId),
                owner -> queries.get(owner, "/v1/users/{user}/baseline", userId).bodyToMono(UserBaseline.class)
                        .onErrorResume(WebClientResponseException.NotFound.class, e -> Mono.empty()));
    }

    private static UserBaseline read(KafkaStreams client, String userId) {
        ReadOnlyKeyValueStore<String, Baseline> store = client.store(StoreQueryParameters.fromNameAndType(
                SessionStores.BASELINES, QueryableStoreTypes.<String, Baseline>keyValueStore()));
        Baseline baseline = store.get(userId);
        return baseline == null ? null : UserBaseline.of(userId, baseline);
    }
}

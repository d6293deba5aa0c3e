package io.streamfleet.support.query;

import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.support.problem.Problems;
import io.streamfleet.support.streams.ManagedKafkaStreams;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Interactive-query routing of a Kafka Streams service with several instances (same {@code application.id}): a key
 * query is answered by the instance whose active task owns the key ({@link QueryTarget}); any other instance forwards
 * the HTTP call to the owner's {@code application.server}, bounded by a timeout. Forwarded calls carry
 * {@value #FORWARDED} and are always answered locally, so a stale routing table cannot loop. Not running, no owner
 * (rebalancing), a store not queryable and an owner that does not answer are {@code 503 unavailable} problems.
 */
public final class InteractiveQueries {

    public static final String FORWARDED = "X-Streamfleet-Forwarded";

    private final Supplier<KafkaStreams> client;
    private final Supplier<KafkaStreams.State> state;
    private final String self;
    private final WebClient http;
    private final Duration forwardTimeout;

    public InteractiveQueries(ManagedKafkaStreams streams, WebClient http, Duration forwardTimeout) {
        this(streams::client, streams::state, streams.settings().applicationServer(), http, forwardTimeout);
    }

    InteractiveQueries(Supplier<KafkaStreams> client, Supplier<KafkaStreams.State> state, String self, WebClient http,
                       Duration forwardTimeout) {
        this.client = client;
        this.state = state;
        this.self = self;
        this.http = http;
        this.forwardTimeout = forwardTimeout;
    }

    /**
     * Answers a query of {@code key} in {@code store} (keyed with {@link Topics#KEY}, like every store of the fleet):
     * {@code read} reads this instance's store, {@code remote} asks the owner (see {@link #get}).
     */
    public <T> Mono<T> byKey(String store, String key, boolean forwarded, Function<KafkaStreams, T> read,
                             Function<HostInfo, Mono<T>> remote) {
        KafkaStreams streams = running();
        if (forwarded) {
            return local(() -> read.apply(streams));
        }
        QueryTarget target = QueryTarget.of(streams.queryMetadataForKey(store, key, Topics.KEY.serializer()), self);
        if (target instanceof QueryTarget.Owner owner) {
            return bounded(remote.apply(owner.host()), "owner " + owner.host());
        }
        if (target instanceof QueryTarget.NoOwner) {
            return Mono.error(unavailable("no instance owns key " + key + " right now (rebalancing)"));
        }
        return local(() -> read.apply(streams));
    }

    /** The running streams client, or a 503 problem (not started, rebalancing, restoring, stopped). */
    public KafkaStreams running() {
        KafkaStreams streams = client.get();
        if (streams == null || state.get() != KafkaStreams.State.RUNNING) {
            throw unavailable("Kafka Streams is " + state.get() + ", not RUNNING");
        }
        return streams;
    }

    /** Every other instance of the application, for queries that fan out. */
    public List<HostInfo> otherInstances(KafkaStreams streams) {
        return streams.metadataForAllStreamsClients().stream().map(StreamsMetadata::hostInfo)
                .filter(host -> !QueryTarget.isSelf(host, self)).toList();
    }

    /**
     * A read of this instance's stores, off the event loop (store reads block); empty when it returns null. A store
     * that is not queryable now (migrating, restoring) is a 503 problem.
     */
    public <T> Mono<T> local(Supplier<T> read) {
        return Mono.fromSupplier(read).subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(InvalidStateStoreException.class,
                        e -> unavailable("state store not queryable right now: " + e.getMessage()));
    }

    /** GET {@code pathTemplate} at another instance, marked as forwarded (so that instance answers locally). */
    public WebClient.ResponseSpec get(HostInfo host, String pathTemplate, Object... uriVariables) {
        return http.get().uri("http://" + host.host() + ":" + host.port() + pathTemplate, uriVariables)
                .header(FORWARDED, "true").retrieve();
    }

    /** A call to another instance bounded by the forward timeout; any failure is a 503 problem naming {@code whom}. */
    public <T> Mono<T> bounded(Mono<T> call, String whom) {
        return call.timeout(forwardTimeout).onErrorMap(e -> !(e instanceof ErrorResponseException),
                e -> unavailable(whom + " did not answer: " + e.getMessage()));
    }

    /** A {@code 503 urn:streamfleet:problem:unavailable} to throw or signal. */
    public static ErrorResponseException unavailable(String detail) {
        return Problems.exception(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, detail, null), null);
    }
}

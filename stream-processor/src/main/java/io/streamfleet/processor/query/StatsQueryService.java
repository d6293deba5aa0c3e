package io.streamfleet.processor.query;

import io.streamfleet.contracts.stats.OrderWindowStats;
import io.streamfleet.contracts.topic.Topics;
import io.streamfleet.processor.stats.TopCancelRatio;
import io.streamfleet.support.streams.ManagedKafkaStreams;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Interactive queries across instances. A key query goes to the instance whose active task owns the key (found with
 * {@link KafkaStreams#queryMetadataForKey}); the call is forwarded over HTTP to that instance's
 * {@code application.server} when it is not this one. Top-N fans out to every instance and merges. Forwarded calls
 * carry {@value #FORWARDED} and are always answered locally, so a stale routing table cannot loop.
 */
public final class StatsQueryService {

    public static final String FORWARDED = "X-Streamfleet-Forwarded";
    private static final ParameterizedTypeReference<List<OrderWindowStats>> STATS_LIST =
            new ParameterizedTypeReference<>() {
            };

    /** The stats families a query may name: window name → closed store, window size. */
    public record Family(String window, String store, long sizeMs) {
    }

    private final ManagedKafkaStreams streams;
    private final LocalStatsReader local;
    private final WebClient http;
    private final List<Family> families;
    private final Family hopping;
    private final long lastMinuteMs;
    private final Duration remoteTimeout;

    public StatsQueryService(ManagedKafkaStreams streams, LocalStatsReader local, WebClient http,
                             List<Family> families, Family hopping, long lastMinuteMs, Duration remoteTimeout) {
        this.streams = streams;
        this.local = local;
        this.http = http;
        this.families = List.copyOf(families);
        this.hopping = hopping;
        this.lastMinuteMs = lastMinuteMs;
        this.remoteTimeout = remoteTimeout;
    }

    public Mono<List<OrderWindowStats>> windows(String key, String window, long fromMs, long toMs,
                                                boolean forwarded) {
        Family family = family(window);
        KafkaStreams client = running();
        if (forwarded) {
            return blocking(() -> local.windows(client, family.store(), key, fromMs, toMs));
        }
        KeyQueryMetadata owner = client.queryMetadataForKey(family.store(), key, Topics.KEY.serializer());
        if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)) {
            throw unavailable("no instance owns key " + key + " right now (rebalancing)");
        }
        if (isSelf(owner.activeHost())) {
            return blocking(() -> local.windows(client, family.store(), key, fromMs, toMs));
        }
        return http.get().uri(base(owner.activeHost()) + "/v1/stats?key={key}&window={window}&from={from}&to={to}",
                        key, window, fromMs, toMs)
                .header(FORWARDED, "true").retrieve().bodyToMono(STATS_LIST).timeout(remoteTimeout)
                .onErrorMap(e -> !(e instanceof ResponseStatusException),
                        e -> unavailable("owner " + owner.activeHost() + " did not answer: " + e.getMessage()));
    }

    public Mono<TopKeys> top(int n, long minCreated, boolean forwarded) {
        KafkaStreams client = running();
        Mono<TopKeys> mine = blocking(() -> local.top(client, hopping.sizeMs(), lastMinuteMs, minCreated, n));
        if (forwarded) {
            return mine;
        }
        List<Mono<TopKeys>> parts = new ArrayList<>();
        parts.add(mine);
        for (StreamsMetadata instance : client.metadataForAllStreamsClients()) {
            if (!isSelf(instance.hostInfo())) {
                parts.add(http.get().uri(base(instance.hostInfo()) + "/v1/stats/top?n={n}&minCreated={m}", n,
                                minCreated).header(FORWARDED, "true").retrieve().bodyToMono(TopKeys.class)
                        .timeout(remoteTimeout)
                        .onErrorMap(e -> unavailable("instance " + instance.hostInfo() + " did not answer: "
                                + e.getMessage())));
            }
        }
        return Flux.merge(parts).collectList().map(all -> merge(all, n, minCreated));
    }

    private TopKeys merge(List<TopKeys> parts, int n, long minCreated) {
        long latest = parts.stream().mapToLong(TopKeys::latestClosedEndMs).max().orElse(Long.MIN_VALUE);
        if (latest == Long.MIN_VALUE) {
            return new TopKeys(latest, lastMinuteMs, List.of());
        }
        List<OrderWindowStats> all = parts.stream().flatMap(p -> p.entries().stream()).toList();
        return new TopKeys(latest, lastMinuteMs, TopCancelRatio.rank(all, latest, lastMinuteMs, minCreated, n));
    }

    public List<String> windowNames() {
        return families.stream().map(Family::window).toList();
    }

    private Family family(String window) {
        return families.stream().filter(f -> f.window().equals(window)).findFirst()
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.BAD_REQUEST,
                        "unknown window '" + window + "', expected one of " + windowNames()));
    }

    private KafkaStreams running() {
        KafkaStreams client = streams.client();
        if (client == null || streams.state() != KafkaStreams.State.RUNNING) {
            throw unavailable("Kafka Streams is " + streams.state() + ", not RUNNING");
        }
        return client;
    }

    private boolean isSelf(HostInfo host) {
        String self = streams.settings().applicationServer();
        return self.isBlank() || self.equals(host.host() + ":" + host.port());
    }

    private static String base(HostInfo host) {
        return "http://" + host.host() + ":" + host.port();
    }

    private static <T> Mono<T> blocking(Callable<T> read) {
        return Mono.fromCallable(read).subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(InvalidStateStoreException.class, e -> unavailable("state store not queryable now: "
                        + e.getMessage()));
    }

    private static ResponseStatusException unavailable(String reason) {
        return new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, reason);
    }
}

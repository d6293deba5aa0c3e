package io.streamfleet.processor.query;

import io.streamfleet.contracts.stats.OrderWindowStats;
import io.streamfleet.processor.stats.TopCancelRatio;
import io.streamfleet.support.query.InteractiveQueries;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.List;

/**
 * Stats queries across instances. A key's windows are answered where the key lives ({@link InteractiveQueries}:
 * owner lookup, forwarding, errors); top-N fans out to every instance and merges their own top-N lists.
 */
public final class StatsQueryService {

    private static final ParameterizedTypeReference<List<OrderWindowStats>> STATS_LIST =
            new ParameterizedTypeReference<>() {
            };

    /** The stats families a query may name: window name → closed store, window size. */
    public record Family(String window, String store, long sizeMs) {
    }

    private final InteractiveQueries queries;
    private final LocalStatsReader local;
    private final List<Family> families;
    private final Family hopping;
    private final long lastMinuteMs;

    public StatsQueryService(InteractiveQueries queries, LocalStatsReader local, List<Family> families,
                             Family hopping, long lastMinuteMs) {
        this.queries = queries;
        this.local = local;
        this.families = List.copyOf(families);
        this.hopping = hopping;
        this.lastMinuteMs = lastMinuteMs;
    }

    public Mono<List<OrderWindowStats>> windows(String key, String window, long fromMs, long toMs,
                                                boolean forwarded) {
        Family family = family(window);
        return queries.byKey(family.store(), key, forwarded,
                client -> local.windows(client, family.store(), key, fromMs, toMs),
                owner -> queries.get(owner, "/v1/stats?key={key}&window={window}&from={from}&to={to}", key, window,
                        fromMs, toMs).bodyToMono(STATS_LIST));
    }

    public Mono<TopKeys> top(int n, long minCreated, boolean forwarded) {
        KafkaStreams client = queries.running();
        Mono<TopKeys> mine = queries.local(() -> local.top(client, hopping.sizeMs(), lastMinuteMs, minCreated, n));
        if (forwarded) {
            return mine;
        }
        List<Mono<TopKeys>> parts = new ArrayList<>();
        parts.add(mine);
        for (HostInfo instance : queries.otherInstances(client)) {
            parts.add(queries.bounded(queries.get(instance, "/v1/stats/top?n={n}&minCreated={m}", n, minCreated)
                    .bodyToMono(TopKeys.class), "instance " + instance));
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
}

package io.streamfleet.processor.query;

import io.streamfleet.contracts.stats.OrderWindowStats;
import io.streamfleet.support.query.InteractiveQueries;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * Interactive queries over closed order-stats windows (docs/stream-processor.md#interactive-queries-http-port-8081);
 * see {@link StatsQueryService} for routing.
 */
@RestController
public class StatsController {

    static final int MAX_N = 1000;
    private final StatsQueryService queries;

    public StatsController(StatsQueryService queries) {
        this.queries = queries;
    }

    /** Closed windows of one {@code accountId|symbol} key whose start lies in [from, to] (epoch ms). */
    @GetMapping("/v1/stats")
    public Mono<List<OrderWindowStats>> windows(@RequestParam String key,
                                                @RequestParam(defaultValue = "tumbling-1s") String window,
                                                @RequestParam(defaultValue = "0") long from,
                                                @RequestParam(defaultValue = "" + Long.MAX_VALUE) long to,
                                                @RequestHeader(name = InteractiveQueries.FORWARDED,
                                                        defaultValue = "false") boolean forwarded) {
        if (key.isBlank() || from > to) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "need a key and from <= to");
        }
        return queries.windows(key, window, from, to, forwarded);
    }

    /** Top-N keys by cancel ratio over the last minute, over all instances. */
    @GetMapping("/v1/stats/top")
    public Mono<TopKeys> top(@RequestParam(defaultValue = "10") int n,
                             @RequestParam(defaultValue = "1") long minCreated,
                             @RequestHeader(name = InteractiveQueries.FORWARDED, defaultValue = "false")
                             boolean forwarded) {
        if (n < 1 || n > MAX_N || minCreated < 0) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "n must be 1.." + MAX_N
                    + " and minCreated >= 0");
        }
        return queries.top(n, minCreated, forwarded);
    }
}

package io.streamfleet.alerts.late.board;

import java.util.List;

/**
 * The answer to a {@link LateQuery}.
 *
 * @param items       the matching keys, most late records first, at most the query's limit
 * @param matching    how many tracked keys matched (items may be fewer because of the limit)
 * @param trackedKeys keys the board holds over all topics
 * @param evictedKeys keys dropped since start because the board was full (their counts restart if they come back)
 * @param horizonMs   how long a key stays without a new late record
 */
public record LateView(List<LateKeyStats> items, int matching, int trackedKeys, long evictedKeys, long horizonMs) {
}

package io.streamfleet.processor.query;

import io.streamfleet.contracts.stats.OrderWindowStats;

import java.util.List;

/**
 * Answer of the top-N query.
 *
 * @param latestClosedEndMs the latest window end closed by the instances asked ("now" in event time)
 * @param lastMinuteMs      how far back the ranked windows may have closed
 * @param entries           each key's latest closed one-minute window, best first
 */
public record TopKeys(long latestClosedEndMs, long lastMinuteMs, List<OrderWindowStats> entries) {
}

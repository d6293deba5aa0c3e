package io.streamfleet.contracts.stats;

/**
 * Order statistics of one closed window for one {@code accountId|symbol} key, written to {@code orders.stats}.
 *
 * @param window              which window family: {@code tumbling-1s} or {@code hopping-1m}
 * @param cancelRatio         cancelled / created (0 when nothing was created), 3 decimals half-up
 * @param distinctPriceLevels distinct tick levels over all events of the window
 * @param notional            sum of price × qty over all events of the window
 */
public record OrderWindowStats(
        String key,
        String window,
        long windowStartMs,
        long windowEndMs,
        long created,
        long cancelled,
        long filled,
        double cancelRatio,
        int distinctPriceLevels,
        double notional) {
}

package io.streamfleet.alerts.history.index;

import io.streamfleet.alerts.alert.AlertFilter;

/**
 * A history request.
 *
 * @param filter which alerts
 * @param fromMs detectedAtMs lower bound, inclusive (Long.MIN_VALUE = none)
 * @param toMs   detectedAtMs upper bound, exclusive (Long.MAX_VALUE = none)
 * @param after  continue after this cursor, or null for the first page
 * @param limit  page size
 */
public record HistoryQuery(AlertFilter filter, long fromMs, long toMs, HistoryCursor after, int limit) {
}

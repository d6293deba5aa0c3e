package io.streamfleet.alerts.history.index;

import io.streamfleet.alerts.alert.FeedAlert;

import java.util.List;

/** One page, newest first; {@code next} is null on the last page. */
public record HistoryPage(List<FeedAlert> items, HistoryCursor next) {
}

package io.streamfleet.alerts.history.index;

import io.streamfleet.alerts.alert.AlertFilter;
import io.streamfleet.alerts.alert.FeedAlert;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.streamfleet.alerts.TestAlerts.anomaly;
import static io.streamfleet.alerts.TestAlerts.engagement;
import static io.streamfleet.alerts.TestAlerts.feed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HistoryIndexTest {

    private static final long NOW = 1_800_000_000_000L;
    private final HistoryIndex index = new HistoryIndex(3_600_000, 1000);

    @Test
    void shouldPageNewestFirstWithoutOverlapOrGapWhenFollowingCursors() {
        for (int i = 0; i < 25; i++) {
            index.add(feed(anomaly("a-" + i, "acc", "AAPL", NOW - 1000 + (i / 2)), "alerts.anomaly", 0, i), NOW);
        }
        List<String> seen = new ArrayList<>();
        HistoryCursor cursor = null;
        int pages = 0;
        do {
            HistoryPage page = index.query(new HistoryQuery(AlertFilter.ALL, Long.MIN_VALUE, Long.MAX_VALUE, cursor, 10));
            page.items().forEach(a -> seen.add(a.alert().alertId()));
            cursor = page.next() == null ? null : HistoryCursor.decode(page.next().encode());
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(25).doesNotHaveDuplicates();
        List<Long> times = seen.stream().map(id -> NOW - 1000 + Integer.parseInt(id.substring(2)) / 2).toList();
        assertThat(times).isSortedAccordingTo((x, y) -> Long.compare(y, x));
    }

    @Test
    void shouldKeepOneCopyWhenTheSameAlertArrivesTwice() {
        assertThat(index.add(feed(anomaly("same", "acc", "AAPL", NOW), "alerts.anomaly", 0, 1), NOW)).isTrue();
        assertThat(index.add(feed(anomaly("same", "acc", "AAPL", NOW), "alerts.anomaly", 0, 2), NOW)).isFalse();
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void shouldApplyTimeRangeAndFiltersWhenQuerying() {
        index.add(feed(anomaly("a1", "acc", "AAPL", NOW - 300), "alerts.anomaly", 0, 1), NOW);
        index.add(feed(anomaly("a2", "acc", "MSFT", NOW - 200), "alerts.anomaly", 0, 2), NOW);
        index.add(feed(engagement("e1", "u1", NOW - 200), "alerts.engagement", 0, 1), NOW);
        index.add(feed(anomaly("a3", "acc", "AAPL", NOW - 100), "alerts.anomaly", 0, 3), NOW);

        assertThat(ids(new HistoryQuery(AlertFilter.ALL, NOW - 200, NOW - 100, null, 10))).containsExactly("e1", "a2");
        assertThat(ids(new HistoryQuery(AlertFilter.parse(null, "acc", "AAPL", null), Long.MIN_VALUE, Long.MAX_VALUE,
                null, 10))).containsExactly("a3", "a1");
        assertThat(ids(new HistoryQuery(AlertFilter.parse("ENGAGEMENT_DROP", null, null, null), Long.MIN_VALUE,
                Long.MAX_VALUE, null, 10))).containsExactly("e1");
    }

    @Test
    void shouldForgetOldAlertsWhenRetentionOrCapacityIsExceeded() {
        HistoryIndex small = new HistoryIndex(1000, 2);
        assertThat(small.add(feed(anomaly("too-old", "a", "s", NOW - 5000), "t", 0, 0), NOW)).isFalse();
        small.add(feed(anomaly("x1", "a", "s", NOW - 900), "t", 0, 1), NOW);
        small.add(feed(anomaly("x2", "a", "s", NOW - 10), "t", 0, 2), NOW);
        small.add(feed(anomaly("x3", "a", "s", NOW), "t", 0, 3), NOW);
        assertThat(small.size()).isEqualTo(2);
        small.prune(NOW + 500);
        assertThat(small.query(new HistoryQuery(AlertFilter.ALL, Long.MIN_VALUE, Long.MAX_VALUE, null, 10)).items())
                .extracting(a -> a.alert().alertId()).containsExactly("x3", "x2");
        small.prune(NOW + 995);
        assertThat(small.size()).isEqualTo(1);
    }

    @Test
    void shouldRejectCursorsWhenTheyWereNotIssuedHere() {
        assertThatThrownBy(() -> HistoryCursor.decode("%%%")).hasMessageStartingWith("cursor:");
        assertThatThrownBy(() -> HistoryCursor.decode("bm9jb2xvbg")).hasMessageStartingWith("cursor:");
    }

    private List<String> ids(HistoryQuery query) {
        return index.query(query).items().stream().map(FeedAlert::alert).map(a -> a.alertId()).toList();
    }
}

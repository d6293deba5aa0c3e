package io.streamfleet.alerts.history;

import io.streamfleet.alerts.alert.AlertFilter;
import io.streamfleet.alerts.alert.FeedAlert;
import io.streamfleet.alerts.history.index.HistoryCursor;
import io.streamfleet.alerts.history.index.HistoryIndex;
import io.streamfleet.alerts.history.index.HistoryPage;
import io.streamfleet.alerts.history.index.HistoryQuery;
import io.streamfleet.contracts.json.ContractMapper;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** {@code GET /v1/alerts}: retained alerts, newest first, filtered, by time range, with cursor pagination. */
@RestController
public class HistoryController {

    /** Largest page a client may ask for. */
    public static final int MAX_LIMIT = 1000;
    private final HistoryIndex index;
    private final JsonMapper mapper;

    public HistoryController(HistoryIndex index) {
        this.index = index;
        this.mapper = ContractMapper.shared();
    }

    @GetMapping("/v1/alerts")
    public Page list(@RequestParam(required = false) String type, @RequestParam(required = false) String accountId,
                     @RequestParam(required = false) String symbol, @RequestParam(required = false) String userId,
                     @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                     @RequestParam(required = false) String cursor,
                     @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit: must be between 1 and " + MAX_LIMIT);
        }
        HistoryQuery query = new HistoryQuery(AlertFilter.parse(type, accountId, symbol, userId),
                time("from", from, Long.MIN_VALUE), time("to", to, Long.MAX_VALUE),
                cursor == null || cursor.isBlank() ? null : HistoryCursor.decode(cursor), limit);
        HistoryPage page = index.query(query);
        List<Item> items = page.items().stream().map(this::item).toList();
        return new Page(items, page.next() == null ? null : page.next().encode());
    }

    private Item item(FeedAlert alert) {
        return new Item(mapper.readTree(alert.json()), alert.topic(), alert.partition(), alert.offset());
    }

    /** Epoch milliseconds or an ISO-8601 instant. */
    static long time(String name, String value, long absent) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            try {
                return Instant.parse(value.trim()).toEpochMilli();
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException(name + ": expected epoch milliseconds or an ISO-8601 instant");
            }
        }
    }

    /** A page of alerts; {@code nextCursor} is absent on the last page. */
    public record Page(List<Item> items, String nextCursor) {
    }

    /** An alert with where it is stored. */
    public record Item(JsonNode alert, String topic, int partition, long offset) {
    }
}

package io.streamfleet.alerts.late;

import io.streamfleet.alerts.late.board.LateEventBoard;
import io.streamfleet.alerts.late.board.LateKeyStats;
import io.streamfleet.alerts.late.board.LateQuery;
import io.streamfleet.alerts.late.board.LateRecord;
import io.streamfleet.alerts.late.board.LateView;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * {@code GET /v1/late-events}: the keys whose events came too late for a stage within the horizon, most first, so an
 * operator knows which detections may be incomplete. What this instance read from the late topics since it started.
 */
@RestController
public class LateEventsController {

    /** Largest list a client may ask for. */
    public static final int MAX_LIMIT = 1000;
    private final LateEventBoard board;
    private final LateTopics topics;
    private final LongSupplier clock;

    public LateEventsController(LateEventBoard board, LateTopics topics) {
        this.board = board;
        this.topics = topics;
        this.clock = System::currentTimeMillis;
    }

    /**
     * @param topic one late topic only
     * @param stage one stage only ({@code stream-processor}, {@code cep-detector}, {@code session-analytics})
     * @param key   one key only (exact, e.g. {@code acc-1|AAPL} URL-encoded, or a user id)
     * @param limit at most this many keys, 1–1000 (default 100)
     */
    @GetMapping("/v1/late-events")
    public LateEvents list(@RequestParam(required = false) String topic, @RequestParam(required = false) String stage,
                           @RequestParam(required = false) String key, @RequestParam(required = false) String limit) {
        if (topic != null && !topics.names().contains(topic)) {
            throw new IllegalArgumentException("topic: must be one of " + topics.names() + ", was '" + topic + "'");
        }
        if (key != null && (key.isBlank() || key.length() > LateRecord.MAX_KEY_LENGTH)) {
            throw new IllegalArgumentException("key: must be 1 to " + LateRecord.MAX_KEY_LENGTH
                    + " characters and not blank");
        }
        if (stage != null && (stage.isBlank() || stage.length() > LateRecord.MAX_STAGE_LENGTH)) {
            throw new IllegalArgumentException("stage: must be 1 to " + LateRecord.MAX_STAGE_LENGTH
                    + " characters and not blank");
        }
        LateView view = board.query(new LateQuery(topic, stage, key, parseLimit(limit)), clock.getAsLong());
        return new LateEvents(view.horizonMs() / 1000, view.matching(), view.trackedKeys(), view.evictedKeys(),
                view.items());
    }

    static int parseLimit(String limit) {
        if (limit == null) {
            return 100;
        }
        try {
            int value = Integer.parseInt(limit.trim());
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException e) {
            // the message below says what is expected
        }
        throw new IllegalArgumentException("limit: must be an integer between 1 and " + MAX_LIMIT + ", was '"
                + limit + "'");
    }

    /**
     * @param horizonSeconds a key is listed while its last late record arrived less than this long ago
     * @param matching       keys matching the query (items stops at the limit)
     * @param trackedKeys    keys held over all late topics
     * @param evictedKeys    keys dropped since start because the view was full: when above 0, a key that came back
     *                       counts only since its return ({@code firstArrivalMs})
     * @param items          per topic, stage and key, most late records first
     */
    public record LateEvents(long horizonSeconds, int matching, int trackedKeys, long evictedKeys,
                             List<LateKeyStats> items) {
    }
}

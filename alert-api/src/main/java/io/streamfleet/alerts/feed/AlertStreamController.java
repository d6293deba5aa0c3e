package io.streamfleet.alerts.feed;

import io.streamfleet.alerts.alert.AlertFilter;
import io.streamfleet.alerts.feed.position.PositionCodec;
import io.streamfleet.alerts.feed.position.PositionVector;
import io.streamfleet.support.problem.ProblemTypes;
import io.streamfleet.support.problem.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

/**
 * {@code GET /v1/alerts/stream}: the resumable SSE feed. {@code Last-Event-ID} (header, or the {@code lastEventId}
 * query parameter for clients that cannot set headers) resumes right after that event.
 */
@RestController
public class AlertStreamController {

    private final AlertFeed feed;

    public AlertStreamController(AlertFeed feed) {
        this.feed = feed;
    }

    @GetMapping(path = "/v1/alerts/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public ResponseEntity<Flux<ServerSentEvent<String>>> stream(
            @RequestParam(required = false) String type, @RequestParam(required = false) String accountId,
            @RequestParam(required = false) String symbol, @RequestParam(required = false) String userId,
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventIdHeader,
            @RequestParam(name = "lastEventId", required = false) String lastEventIdParam) {
        AlertFilter filter = AlertFilter.parse(type, accountId, symbol, userId);
        String lastEventId = lastEventIdHeader != null && !lastEventIdHeader.isBlank() ? lastEventIdHeader
                : lastEventIdParam;
        PositionVector resumeFrom = lastEventId == null || lastEventId.isBlank() ? null
                : PositionCodec.decode(lastEventId);
        if (!feed.isReady()) {
            HttpHeaders retry = new HttpHeaders();
            retry.set(HttpHeaders.RETRY_AFTER, "2");
            throw Problems.exception(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.UNAVAILABLE,
                    "Alert feed not ready", "the feed is still reading the alert topics; retry shortly",
                    null), retry);
        }
        return ResponseEntity.ok()
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .header("X-Accel-Buffering", "no")
                .contentType(MediaType.TEXT_EVENT_STREAM)
                .body(feed.open(filter, resumeFrom));
    }
}

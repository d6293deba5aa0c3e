package io.streamfleet.session.query;

import io.streamfleet.support.query.InteractiveQueries;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/** A user's current baseline and latest sessions; see {@link BaselineQueryService} for routing. */
@RestController
public class BaselineController {

    static final int MAX_USER_ID = 64;
    private final BaselineQueryService queries;

    public BaselineController(BaselineQueryService queries) {
        this.queries = queries;
    }

    @GetMapping("/v1/users/{userId}/baseline")
    public Mono<ResponseEntity<UserBaseline>> baseline(@PathVariable String userId,
                                                       @RequestHeader(name = InteractiveQueries.FORWARDED,
                                                               defaultValue = "false") boolean forwarded) {
        if (userId.isBlank() || userId.length() > MAX_USER_ID) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "userId must be 1.." + MAX_USER_ID + " characters");
        }
        return queries.baseline(userId, forwarded).map(ResponseEntity::ok)
                .switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                        "no baseline for user '" + userId + "' (no closed session yet, or unknown)")));
    }
}

package io.streamfleet.support.problem;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;

import java.net.URI;

/**
 * The fleet's rule for problem types: {@code urn:streamfleet:problem:<name>}, a lower-case kebab-case name. The
 * names below are the ones every service shares (docs/contracts.md#errors); a service adds its own names (the
 * gateway's {@code validation-failed}, {@code body-too-large}, …) through the same rule.
 */
public final class ProblemTypes {

    public static final String PREFIX = "urn:streamfleet:problem:";

    public static final String BAD_REQUEST = "bad-request";
    public static final String UNAUTHENTICATED = "unauthenticated";
    public static final String FORBIDDEN = "forbidden";
    public static final String NOT_FOUND = "not-found";
    public static final String METHOD_NOT_ALLOWED = "method-not-allowed";
    public static final String NOT_ACCEPTABLE = "not-acceptable";
    public static final String BODY_TOO_LARGE = "body-too-large";
    public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported-media-type";
    public static final String RATE_LIMITED = "rate-limited";
    public static final String UNAVAILABLE = "unavailable";
    public static final String INTERNAL_ERROR = "internal-error";

    private ProblemTypes() {
    }

    /** The type URI of a problem name. */
    public static URI type(String name) {
        if (name == null || !name.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("a problem name is lower-case kebab-case, got '" + name + "'");
        }
        return URI.create(PREFIX + name);
    }

    /** The shared name for a status when nothing more specific is known. */
    public static String nameFor(HttpStatusCode status) {
        return switch (status.value()) {
            case 401 -> UNAUTHENTICATED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 413 -> BODY_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 429 -> RATE_LIMITED;
            case 503 -> UNAVAILABLE;
            default -> status.is4xxClientError() ? BAD_REQUEST : INTERNAL_ERROR;
        };
    }

    /** The standard reason phrase of a status, for titles. */
    public static String reason(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known == null ? "HTTP " + status.value() : known.getReasonPhrase();
    }
}

package io.streamfleet.gateway.intake;

/**
 * Why a whole request (or WebSocket frame) was refused before any event in it could be judged on its own. Each has
 * a problem-type slug, a title and the HTTP status it maps to.
 */
public enum Refusal {
    BODY_TOO_LARGE("body-too-large", "Request body too large", 413),
    BATCH_TOO_LARGE("batch-too-large", "Too many events in one request", 413),
    EMPTY_BODY("empty-body", "Request body is empty", 400),
    EMPTY_BATCH("empty-batch", "The request holds no event", 400),
    MALFORMED_JSON("malformed-json", "Body is not well-formed JSON", 400),
    NON_FINITE_NUMBER("non-finite-number", "NaN and Infinity are not JSON numbers", 400),
    TOO_DEEP("too-deep", "JSON nesting too deep", 400),
    STRING_TOO_LONG("string-too-long", "A JSON string is too long", 400),
    NUMBER_TOO_LONG("number-too-long", "A JSON number has too many digits", 400),
    /** Refused unread because the gateway's publish queue is too slow (admission rule); nothing was sent. */
    OVERLOADED("overloaded", "The gateway is overloaded", 503);

    private final String slug;
    private final String title;
    private final int status;

    Refusal(String slug, String title, int status) {
        this.slug = slug;
        this.title = title;
        this.status = status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public int status() {
        return status;
    }

    /** The metric tag value: the slug with underscores. */
    public String reasonTag() {
        return slug.replace('-', '_');
    }
}

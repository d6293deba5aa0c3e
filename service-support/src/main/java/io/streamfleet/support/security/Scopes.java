package io.streamfleet.support.security;

import java.util.Set;

/** The scopes the fleet knows. */
public final class Scopes {

    public static final String EVENTS_WRITE = "events:write";
    public static final String ALERTS_READ = "alerts:read";
    public static final String WEBHOOKS_ADMIN = "webhooks:admin";
    public static final Set<String> ALL = Set.of(EVENTS_WRITE, ALERTS_READ, WEBHOOKS_ADMIN);

    private Scopes() {
    }
}

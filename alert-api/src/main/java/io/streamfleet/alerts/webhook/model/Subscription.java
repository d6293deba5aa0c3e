package io.streamfleet.alerts.webhook.model;

import io.streamfleet.alerts.alert.AlertFilter;

import java.util.ArrayList;
import java.util.List;

/**
 * A webhook subscription as stored (compacted topic, key = id). The secrets are stored because every instance must
 * sign; protect the topic with ACLs like any credential store.
 *
 * @param id                     {@code wh_...}
 * @param url                    target URL
 * @param filter                 which alerts to deliver
 * @param enabled                false: nothing is delivered (set by a user, or by a 410 from the endpoint)
 * @param description            free text
 * @param secret                 current signing secret ({@code whsec_...})
 * @param previousSecret         the secret before the last rotation, or null
 * @param previousSecretUntilMs  until when the previous secret still signs (epoch ms)
 * @param disabledReason         why the endpoint was disabled automatically, or null
 * @param createdAtMs            creation time
 * @param updatedAtMs            last change
 */
public record Subscription(String id, String url, AlertFilter filter, boolean enabled, String description,
                           String secret, String previousSecret, long previousSecretUntilMs, String disabledReason,
                           long createdAtMs, long updatedAtMs) {

    public Subscription {
        filter = filter == null ? AlertFilter.ALL : filter;
    }

    /** Secrets that sign a delivery at {@code nowMs}: the current one, plus the previous one during its grace. */
    public List<String> signingSecrets(long nowMs) {
        List<String> secrets = new ArrayList<>(2);
        secrets.add(secret);
        if (previousSecret != null && nowMs < previousSecretUntilMs) {
            secrets.add(previousSecret);
        }
        return secrets;
    }

    public Subscription withRotatedSecret(String newSecret, long nowMs, long graceMs) {
        return new Subscription(id, url, filter, enabled, description, newSecret, secret, nowMs + graceMs, disabledReason,
                createdAtMs, nowMs);
    }

    public Subscription withChanges(String newUrl, AlertFilter newFilter, Boolean newEnabled, String newDescription,
                                    long nowMs) {
        boolean enabling = newEnabled != null && newEnabled;
        return new Subscription(id, newUrl == null ? url : newUrl, newFilter == null ? filter : newFilter,
                newEnabled == null ? enabled : newEnabled, newDescription == null ? description : newDescription,
                secret, previousSecret, previousSecretUntilMs, enabling ? null : disabledReason, createdAtMs, nowMs);
    }

    public Subscription disabledBecause(String reason, long nowMs) {
        return new Subscription(id, url, filter, false, description, secret, previousSecret, previousSecretUntilMs,
                reason, createdAtMs, nowMs);
    }
}

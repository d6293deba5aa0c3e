package io.streamfleet.contracts.id;

import io.streamfleet.contracts.alert.AlertType;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic alert ids: an alert id is a hash of what identifies the episode, so a detector that re-evaluates
 * the same episode after a restart or redelivery emits the same id and consumers can deduplicate on it.
 */
public final class AlertIds {

    private AlertIds() {
    }

    /** Id of a burst-create / mass-cancel episode, identified by its key and the first event of its burst. */
    public static String anomaly(String accountId, String symbol, long windowStartMs, String firstBurstEventId) {
        return of(AlertType.BURST_CREATE_MASS_CANCEL, accountId, symbol, Long.toString(windowStartMs), firstBurstEventId);
    }

    /** Id of an engagement drop, identified by the user and the session's bounds. */
    public static String engagementDrop(String userId, long sessionStartMs, long sessionEndMs) {
        return of(AlertType.ENGAGEMENT_DROP, userId, Long.toString(sessionStartMs), Long.toString(sessionEndMs));
    }

    /**
     * Hashes the parts with their lengths (so {@code ("a|b","c")} and {@code ("a","b|c")} differ) into
     * {@code <prefix>_<32 hex chars>}.
     */
    public static String of(AlertType type, String... parts) {
        MessageDigest digest = sha256();
        update(digest, type.name());
        for (String part : parts) {
            update(digest, part == null ? "" : part);
        }
        byte[] hash = digest.digest();
        return prefix(type) + "_" + HexFormat.of().formatHex(hash, 0, 16);
    }

    private static void update(MessageDigest digest, String part) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) ':');
        digest.update(bytes);
    }

    private static String prefix(AlertType type) {
        return switch (type) {
            case BURST_CREATE_MASS_CANCEL -> "bcmc";
            case ENGAGEMENT_DROP -> "edrop";
        };
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}

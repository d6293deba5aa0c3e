package io.streamfleet.alerts.feed.position;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * SSE event ids: a {@link PositionVector} as URL-safe base64 (no padding) of
 * {@code v1;topicA:0=12,1=7;topicB:0=3}. Opaque to clients, readable to an operator who decodes it, and strictly
 * validated when a client sends it back as {@code Last-Event-ID}.
 */
public final class PositionCodec {

    /** Longest id accepted back from a client. */
    public static final int MAX_ENCODED_LENGTH = 4096;
    private static final String VERSION = "v1";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private PositionCodec() {
    }

    public static String encode(PositionVector position) {
        StringBuilder text = new StringBuilder(VERSION);
        String currentTopic = null;
        for (Map.Entry<PartitionKey, Long> entry : position.asMap().entrySet()) {
            PartitionKey key = entry.getKey();
            if (!key.topic().equals(currentTopic)) {
                currentTopic = key.topic();
                text.append(';').append(currentTopic).append(':');
            } else {
                text.append(',');
            }
            text.append(key.partition()).append('=').append(entry.getValue());
        }
        return ENCODER.encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes an id; throws {@link IllegalArgumentException} saying what is wrong with a malformed one. */
    public static PositionVector decode(String encoded) {
        if (encoded == null || encoded.isBlank()) {
            throw new IllegalArgumentException("event id is empty");
        }
        if (encoded.length() > MAX_ENCODED_LENGTH) {
            throw new IllegalArgumentException("event id is longer than " + MAX_ENCODED_LENGTH + " characters");
        }
        String text;
        try {
            text = new String(DECODER.decode(encoded.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("event id is not URL-safe base64");
        }
        String[] sections = text.split(";", -1);
        if (!VERSION.equals(sections[0])) {
            throw new IllegalArgumentException("event id has an unknown version");
        }
        Map<PartitionKey, Long> next = new TreeMap<>();
        for (int i = 1; i < sections.length; i++) {
            parseSection(sections[i], next);
        }
        return PositionVector.of(next);
    }

    private static void parseSection(String section, Map<PartitionKey, Long> into) {
        int colon = section.lastIndexOf(':');
        if (colon <= 0 || colon == section.length() - 1) {
            throw new IllegalArgumentException("event id has a malformed topic section");
        }
        String topic = section.substring(0, colon);
        for (String pair : section.substring(colon + 1).split(",", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("event id has a malformed partition entry");
            }
            try {
                int partition = Integer.parseInt(pair.substring(0, eq));
                long offset = Long.parseLong(pair.substring(eq + 1));
                if (into.put(new PartitionKey(topic, partition), offset) != null) {
                    throw new IllegalArgumentException("event id names a partition twice");
                }
                if (offset < 0) {
                    throw new IllegalArgumentException("event id has a negative offset");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("event id has a non-numeric partition or offset");
            }
        }
    }
}

package io.streamfleet.bench.replay;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Exact bytes in a JSON field {@code name}, readable where possible: {@code name} holds UTF-8 text (or, for
 * {@link #putJson}, embedded JSON when the bytes are an object or array in the compact form this codec writes back
 * byte for byte), {@code nameText} text beside embedded JSON, {@code nameBase64} anything else, and
 * {@code "name": null} a null.
 */
final class ByteFields {

    private ByteFields() {
    }

    /** {@code name}: the bytes as a string when they are UTF-8, else {@code nameBase64}. */
    static void putText(ObjectNode n, String name, byte[] bytes) {
        if (bytes == null) {
            n.putNull(name);
            return;
        }
        String text = utf8(bytes);
        if (text != null) {
            n.put(name, text);
        } else {
            n.put(name + "Base64", Base64.getEncoder().encodeToString(bytes));
        }
    }

    /** {@code name}: embedded JSON when it round-trips exactly, else {@code nameText} or {@code nameBase64}. */
    static void putJson(ObjectNode n, String name, byte[] bytes) {
        JsonNode json = bytes == null ? null : exactJson(bytes);
        if (json != null) {
            n.set(name, json);
        } else if (bytes != null && utf8(bytes) != null) {
            n.put(name + "Text", utf8(bytes));
        } else {
            putText(n, name, bytes);
        }
    }

    /** The bytes written by either put method; {@code null} when the field is null or absent. */
    static byte[] get(JsonNode n, String name) {
        JsonNode plain = n.path(name);
        JsonNode text = n.path(name + "Text");
        JsonNode base64 = n.path(name + "Base64");
        if (plain.isString()) {
            return plain.stringValue().getBytes(StandardCharsets.UTF_8);
        }
        if (plain.isObject() || plain.isArray()) {
            return LogCodec.MAPPER.writeValueAsBytes(plain);
        }
        if (text.isString()) {
            return text.stringValue().getBytes(StandardCharsets.UTF_8);
        }
        if (base64.isString()) {
            try {
                return Base64.getDecoder().decode(base64.stringValue());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("field \"" + name + "Base64\" is not base64");
            }
        }
        if (plain.isMissingNode() || plain.isNull()) {
            return null;
        }
        throw new IllegalArgumentException("field \"" + name + "\" must be a string, JSON object/array or null");
    }

    /** The bytes as a JSON tree when writing that tree gives back exactly these bytes; otherwise {@code null}. */
    static JsonNode exactJson(byte[] bytes) {
        if (bytes.length == 0 || bytes[0] != '{' && bytes[0] != '[') {
            return null;
        }
        try {
            JsonNode tree = LogCodec.MAPPER.readTree(bytes);
            if (tree != null && (tree.isObject() || tree.isArray())
                    && Arrays.equals(LogCodec.MAPPER.writeValueAsBytes(tree), bytes)) {
                return tree;
            }
            return null;
        } catch (JacksonException e) {
            return null;
        }
    }

    /** The bytes as text when they are well-formed UTF-8 (which re-encodes to the same bytes), else {@code null}. */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}

package io.streamfleet.contracts.json;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one Jackson configuration used for every contract on the wire: unknown fields ignored (compatible evolution),
 * no NaN/Infinity, bounded nesting depth and string length.
 */
public final class ContractMapper {

    /** Default maximum JSON nesting depth accepted for a contract document. */
    public static final int DEFAULT_MAX_DEPTH = 16;
    /** Default maximum length of one JSON string value. */
    public static final int DEFAULT_MAX_STRING_LENGTH = 64 * 1024;

    private static final JsonMapper SHARED = create(DEFAULT_MAX_DEPTH, DEFAULT_MAX_STRING_LENGTH);

    private ContractMapper() {
    }

    /** The shared, thread-safe mapper with default limits. */
    public static JsonMapper shared() {
        return SHARED;
    }

    public static JsonMapper create(int maxDepth, int maxStringLength) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth)
                        .maxStringLength(maxStringLength)
                        .build())
                .build();
        return JsonMapper.builder(factory)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                // optional primitives (dwellMs, completed) take their defaults; the shape check reports required ones
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
    }
}

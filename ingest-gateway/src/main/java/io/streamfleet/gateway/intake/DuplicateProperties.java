package io.streamfleet.gateway.intake;

import io.streamfleet.contracts.validation.FieldError;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Duplicate JSON properties: the gateway's parser runs with Jackson's strict duplicate detection, which fails the whole
 * parse. These helpers name the duplicated field and cut an array body into its elements so that only the event
 * holding the duplicate is rejected, not the batch.
 */
final class DuplicateProperties {

    private static final String PREFIX = "Duplicate Object property \"";

    private DuplicateProperties() {
    }

    /** The field error for a duplicate property, if {@code e} reports one. */
    static Optional<FieldError> errorOf(JacksonException e) {
        String message = e.getOriginalMessage();
        if (!(e instanceof StreamReadException) || message == null || !message.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String field = message.substring(PREFIX.length(), Math.max(PREFIX.length(), message.lastIndexOf('"')));
        if (e.processor() instanceof JsonParser parser) {
            String path = parser.streamReadContext().pathAsPointer().toString();
            // the pointer of the object holding the duplicate, relative to the event, as a dotted path
            if (path.endsWith("/" + field)) {
                field = path.substring(1).replace('/', '.');
            }
        }
        return Optional.of(new FieldError(field, "appears more than once in the event; a field may appear only once"));
    }

    /**
     * The byte ranges {@code [from, to)} of the elements of a top-level JSON array, read without duplicate detection;
     * empty when the body is not an array.
     */
    static Optional<List<int[]>> arrayElements(JsonMapper lenient, byte[] body) {
        try (JsonParser parser = lenient.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                return Optional.empty();
            }
            List<int[]> ranges = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                int from = (int) parser.currentTokenLocation().getByteOffset();
                parser.skipChildren();
                ranges.add(new int[] {from, (int) parser.currentLocation().getByteOffset()});
            }
            if (parser.nextToken() != null) {
                lenient.readTree(body); // trailing content: let the reader report it as it does for any body
            }
            return Optional.of(ranges);
        }
    }
}

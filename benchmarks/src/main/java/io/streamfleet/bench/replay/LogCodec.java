package io.streamfleet.bench.replay;

import io.streamfleet.bench.replay.RecordingHeader.PartitionRange;
import io.streamfleet.bench.replay.RecordingHeader.TopicSummary;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines of a recording (newline-delimited JSON, one object per line). The first line is the header:
 * <pre>{"format":"fleet-bench-recording","version":1,"recordedAtMs":…,"source":"localhost:9092",
 *  "topics":[{"name":"orders.raw","partitions":3,"records":120,"progressRecords":30,"firstTimestampMs":…,
 *             "lastTimestampMs":…,"ranges":[{"partition":0,"fromOffset":0,"toOffset":41,"records":40},…]}]}</pre>
 * then one line per record:
 * <pre>{"topic":"orders.raw","partition":0,"offset":17,"timestamp":…,"timestampType":"CreateTime",
 *  "key":"acct-1|ACME","value":{…the event…},"headers":[{"name":"sf-progress","value":"gw-1"}]}</pre>
 * Bytes are kept exactly (see {@link ByteFields}): a value that is compact JSON is embedded as JSON, other UTF-8 as
 * {@code valueText}, anything else as {@code valueBase64}; {@code null} stays {@code null}.
 */
public final class LogCodec {

    public static final String FORMAT = "fleet-bench-recording";
    public static final int VERSION = 1;

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private LogCodec() {
    }

    public static String encode(LogRecord r) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("topic", r.topic());
        n.put("partition", r.partition());
        n.put("offset", r.offset());
        n.put("timestamp", r.timestampMs());
        n.put("timestampType", r.timestampType());
        ByteFields.putText(n, "key", r.key());
        ByteFields.putJson(n, "value", r.value());
        ArrayNode headers = n.putArray("headers");
        for (LogHeader h : r.headers()) {
            ObjectNode hn = headers.addObject();
            hn.put("name", h.name());
            ByteFields.putText(hn, "value", h.value());
        }
        return MAPPER.writeValueAsString(n);
    }

    /** @throws IllegalArgumentException naming the field when the line is not a record */
    public static LogRecord decode(String line) {
        JsonNode n = tree(line);
        List<LogHeader> headers = new ArrayList<>();
        for (JsonNode h : n.path("headers")) {
            String name = h.path("name").stringValue(null);
            if (name == null) {
                throw new IllegalArgumentException("header without a \"name\"");
            }
            headers.add(new LogHeader(name, ByteFields.get(h, "value")));
        }
        return new LogRecord(text(n, "topic"), (int) number(n, "partition"), number(n, "offset"),
                number(n, "timestamp"), n.path("timestampType").stringValue("CreateTime"),
                ByteFields.get(n, "key"), ByteFields.get(n, "value"), headers);
    }

    public static String encodeHeader(RecordingHeader h) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("format", FORMAT);
        n.put("version", h.version());
        n.put("recordedAtMs", h.recordedAtMs());
        n.put("source", h.source());
        n.put("records", h.records());
        ArrayNode topics = n.putArray("topics");
        for (TopicSummary t : h.topics()) {
            ObjectNode tn = topics.addObject();
            tn.put("name", t.name());
            tn.put("partitions", t.partitions());
            tn.put("records", t.records());
            tn.put("progressRecords", t.progressRecords());
            tn.put("firstTimestampMs", t.firstTimestampMs());
            tn.put("lastTimestampMs", t.lastTimestampMs());
            ArrayNode ranges = tn.putArray("ranges");
            for (PartitionRange r : t.ranges()) {
                ranges.addObject().put("partition", r.partition()).put("fromOffset", r.fromOffset())
                        .put("toOffset", r.toOffset()).put("records", r.records());
            }
        }
        return MAPPER.writeValueAsString(n);
    }

    /** @throws IllegalArgumentException when the line is not a recording header, or one of a newer version */
    public static RecordingHeader decodeHeader(String line) {
        JsonNode n;
        try {
            n = tree(line);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a fleet-bench recording (the first line is not JSON)");
        }
        if (!FORMAT.equals(n.path("format").stringValue(null))) {
            throw new IllegalArgumentException("not a fleet-bench recording (the first line has no \"format\":\""
                    + FORMAT + "\")");
        }
        int version = (int) number(n, "version");
        if (version > VERSION) {
            throw new IllegalArgumentException("recording format version " + version + " is newer than this "
                    + "fleet-bench reads (" + VERSION + "): use a newer fleet-bench");
        }
        List<TopicSummary> topics = new ArrayList<>();
        for (JsonNode t : n.path("topics")) {
            List<PartitionRange> ranges = new ArrayList<>();
            for (JsonNode r : t.path("ranges")) {
                ranges.add(new PartitionRange((int) number(r, "partition"), number(r, "fromOffset"),
                        number(r, "toOffset"), number(r, "records")));
            }
            topics.add(new TopicSummary(text(t, "name"), (int) number(t, "partitions"), number(t, "records"),
                    number(t, "progressRecords"), number(t, "firstTimestampMs"), number(t, "lastTimestampMs"),
                    ranges));
        }
        return new RecordingHeader(version, number(n, "recordedAtMs"), n.path("source").stringValue(""), topics);
    }

    private static JsonNode tree(String line) {
        JsonNode n;
        try {
            n = MAPPER.readTree(line);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return n;
    }

    private static String text(JsonNode n, String field) {
        String value = n.path(field).stringValue(null);
        if (value == null) {
            throw new IllegalArgumentException("field \"" + field + "\" missing or not a string");
        }
        return value;
    }

    private static long number(JsonNode n, String field) {
        JsonNode v = n.path(field);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException("field \"" + field + "\" missing or not a whole number");
        }
        return v.longValue();
    }
}

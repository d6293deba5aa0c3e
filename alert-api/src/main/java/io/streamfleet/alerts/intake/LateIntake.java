package io.streamfleet.alerts.intake;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamfleet.alerts.late.board.LateEventBoard;
import io.streamfleet.alerts.late.board.LateRecord;
import io.streamfleet.contracts.json.ContractMapper;
import io.streamfleet.contracts.topic.Headers;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The late-topic tail's handler: every record of {@code orders.late}, {@code engagement.late} and
 * {@code orders.cep.late} counted per topic, and, when it is what a stage writes there (a key, an event with its
 * {@code eventTimeMs}, the {@code sf-late-stage} header), put on the {@link LateEventBoard}. Anything else is counted
 * with its reason, logged with its position and skipped: a bad record must not stop the view.
 */
public final class LateIntake implements java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> {

    private static final Logger log = LoggerFactory.getLogger(LateIntake.class);
    /** The {@code reason} tags of skipped records: what was unusable. */
    private static final List<String> MALFORMED_REASONS = List.of("key", "stage", "value");

    private final LateEventBoard board;
    private final MeterRegistry registry;
    private final LongSupplier clock;
    private final Map<String, Counter> seen = new HashMap<>();

    public LateIntake(LateEventBoard board, List<String> topics, MeterRegistry registry, LongSupplier clock) {
        this.board = board;
        this.registry = registry;
        this.clock = clock;
        topics.forEach(this::seenCounter);
        // at 0 from the start, so the dashboard's malformed series reads "none" rather than "no data"
        topics.forEach(topic -> MALFORMED_REASONS.forEach(reason -> malformedCounter(topic, reason)));
    }

    @Override
    public void accept(ConsumerRecord<byte[], byte[]> record) {
        seenCounter(record.topic()).increment();
        try {
            board.record(decode(record));
        } catch (Malformed e) {
            log.warn("Skipping malformed late record at {}-{}@{} ({}): {}", record.topic(), record.partition(),
                    record.offset(), e.reason, e.getMessage());
            malformedCounter(record.topic(), e.reason).increment();
        }
    }

    private LateRecord decode(ConsumerRecord<byte[], byte[]> record) throws Malformed {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        if (key == null || key.isBlank() || key.length() > LateRecord.MAX_KEY_LENGTH) {
            throw new Malformed("key", key == null ? "no key"
                    : "blank key or key over " + LateRecord.MAX_KEY_LENGTH + " chars");
        }
        Header stageHeader = record.headers().lastHeader(Headers.LATE_AT_STAGE);
        String stage = stageHeader == null || stageHeader.value() == null ? null
                : new String(stageHeader.value(), StandardCharsets.UTF_8);
        if (stage == null || stage.isBlank() || stage.length() > LateRecord.MAX_STAGE_LENGTH) {
            throw new Malformed("stage", "no usable " + Headers.LATE_AT_STAGE + " header");
        }
        long eventTimeMs = eventTime(record.value());
        long watermarkMs = Headers.lastLong(record.headers(), Headers.LATE_WATERMARK_MS, -1);
        long behindMs = watermarkMs < 0 ? -1 : Math.max(0, watermarkMs - eventTimeMs);
        return new LateRecord(record.topic(), stage, key, eventTimeMs, behindMs, clock.getAsLong());
    }

    private static long eventTime(byte[] value) throws Malformed {
        if (value == null) {
            throw new Malformed("value", "no value");
        }
        JsonNode event;
        try {
            event = ContractMapper.shared().readTree(value);
        } catch (RuntimeException e) {
            throw new Malformed("value", "not JSON: " + e.getMessage());
        }
        JsonNode time = event.get("eventTimeMs");
        if (time == null || !time.isIntegralNumber() || !time.canConvertToLong() || time.asLong() < 0) {
            throw new Malformed("value", "no non-negative integral eventTimeMs");
        }
        return time.asLong();
    }

    private Counter malformedCounter(String topic, String reason) {
        return Counter.builder("streamfleet.alerts.late.malformed")
                .description("Late-topic records that are not what a stage writes there (skipped)")
                .tag("topic", topic).tag("reason", reason).register(registry);
    }

    private Counter seenCounter(String topic) {
        return seen.computeIfAbsent(topic, t -> Counter.builder("streamfleet.alerts.late.records")
                .description("Records read from a late topic (all of them, malformed ones included)")
                .tag("topic", t).register(registry));
    }

    /** Why a record is skipped; {@code reason} is the metric tag. */
    private static final class Malformed extends Exception {
        private final String reason;

        Malformed(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }
}

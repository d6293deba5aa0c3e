package io.streamfleet.support.processor;

import io.micrometer.core.instrument.Counter;
import io.streamfleet.contracts.topic.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * How a stage diverts a record that is behind its watermark (docs/contracts.md#headers): counted, logged once with
 * its position, and forwarded to the late sink unchanged — key, value, timestamp and every header it came with —
 * plus {@link Headers#LATE_AT_STAGE} (this stage) and {@link Headers#LATE_WATERMARK_MS} (the watermark it was behind).
 * Each stage decides itself what is late and what the key is; this is only what happens to the record then.
 */
public final class LateRoute {

    private static final Logger log = LoggerFactory.getLogger(LateRoute.class);

    private final byte[] stage;
    private final String sink;
    private final String noun;
    private final Counter late;

    /**
     * @param stage the stage name written into {@link Headers#LATE_AT_STAGE}
     * @param sink  the late sink's node name
     * @param noun  what the log line calls the record ("order", "engagement event")
     * @param late  counts diverted records
     */
    public LateRoute(String stage, String sink, String noun, Counter late) {
        this.stage = stage.getBytes(StandardCharsets.UTF_8);
        this.sink = sink;
        this.noun = noun;
        this.late = late;
    }

    /** Diverts {@code record}, keyed as it should be on the late topic, which was behind {@code watermarkMs}. */
    public <K, V> void divert(ProcessorContext<? super K, ? super V> context, Record<K, V> record, String eventId,
                              long eventTimeMs, long watermarkMs) {
        late.increment();
        log.info("Late {} {} of {} (event time {} < watermark {}) at {}: sent to the late topic", noun, eventId,
                record.key(), eventTimeMs, watermarkMs, RecordPosition.of(context));
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add(Headers.LATE_AT_STAGE, stage);
        headers.add(Headers.LATE_WATERMARK_MS, Headers.encodeLong(watermarkMs));
        context.forward(record.withHeaders(headers), sink);
    }
}

package io.streamfleet.alerts.intake;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.alerts.late.board.LateEventBoard;
import io.streamfleet.alerts.late.board.LateKeyStats;
import io.streamfleet.alerts.late.board.LateQuery;
import io.streamfleet.alerts.late.board.LateRecord;
import io.streamfleet.contracts.topic.Headers;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What the late-topic handler makes of records as the stages write them, and of records no stage would write. */
class LateIntakeTest {

    private static final long NOW = 1_800_000_000_000L;
    private static final String ORDER = "{\"eventId\":\"e1\",\"accountId\":\"acc-1\",\"symbol\":\"AAPL\","
            + "\"eventType\":\"CREATE\",\"orderId\":\"o1\",\"side\":\"BUY\",\"price\":10.5,\"qty\":1,"
            + "\"eventTimeMs\":" + (NOW - 10_000) + "}";

    private final LateEventBoard board = new LateEventBoard(900_000, 100);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final LateIntake intake = new LateIntake(board, List.of("orders.late", "engagement.late",
            "orders.cep.late"), registry, () -> NOW);

    @Test
    void shouldTallyTheKeyWithStageEventTimeAndLatenessWhenTheRecordIsWhatAStageWrites() {
        intake.accept(record("orders.late", "acc-1|AAPL", ORDER, "stream-processor", NOW - 4_000));

        LateKeyStats stats = board.query(new LateQuery(null, null, null, 10), NOW).items().get(0);
        assertThat(stats).isEqualTo(new LateKeyStats("orders.late", "stream-processor", "acc-1|AAPL", 1,
                NOW - 10_000, NOW - 10_000, 6_000, NOW, NOW));
        assertThat(seen("orders.late")).isEqualTo(1);
        assertThat(seen("orders.cep.late")).isZero();
    }

    @Test
    void shouldCountAndSkipWithItsReasonWhenTheRecordIsMalformed() {
        intake.accept(record("orders.cep.late", null, ORDER, "cep-detector", NOW));
        intake.accept(record("orders.cep.late", " ", ORDER, "cep-detector", NOW));
        String tooLong = "k".repeat(LateRecord.MAX_KEY_LENGTH + 1);
        intake.accept(record("orders.cep.late", tooLong, ORDER, "cep-detector", NOW));
        intake.accept(record("orders.cep.late", "acc-1|AAPL", ORDER, null, NOW));
        intake.accept(record("orders.cep.late", "acc-1|AAPL", "not json", "cep-detector", NOW));
        intake.accept(record("orders.cep.late", "acc-1|AAPL", "{\"eventTimeMs\":\"soon\"}", "cep-detector", NOW));
        intake.accept(record("orders.cep.late", "acc-1|AAPL", "[1,2]", "cep-detector", NOW));
        intake.accept(record("orders.cep.late", "acc-1|AAPL", null, "cep-detector", NOW));

        assertThat(board.size()).isZero();
        assertThat(seen("orders.cep.late")).isEqualTo(8);
        assertThat(malformed("key")).isEqualTo(3);
        assertThat(malformed("stage")).isEqualTo(1);
        assertThat(malformed("value")).isEqualTo(4);
        assertThat(registry.get("streamfleet.alerts.late.malformed").tag("topic", "orders.late").counters())
                .as("every topic's reasons are registered at 0 from the start").hasSize(3)
                .allSatisfy(counter -> assertThat(counter.count()).isZero());
    }

    @Test
    void shouldLeaveLatenessUnknownWhenTheWatermarkHeaderIsMissing() {
        intake.accept(record("orders.late", "acc-1|AAPL", ORDER, "stream-processor", -1));

        assertThat(board.query(new LateQuery(null, null, null, 10), NOW).items().get(0).maxBehindMs()).isEqualTo(-1);
    }

    private double seen(String topic) {
        return registry.get("streamfleet.alerts.late.records").tag("topic", topic).counter().count();
    }

    private double malformed(String reason) {
        return registry.get("streamfleet.alerts.late.malformed").tag("topic", "orders.cep.late").tag("reason", reason)
                .counter().count();
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, String key, String value, String stage,
                                                         long watermarkMs) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Headers.INGESTED_AT_MS, Headers.encodeLong(NOW - 20_000));
        if (stage != null) {
            headers.add(Headers.LATE_AT_STAGE, stage.getBytes(StandardCharsets.UTF_8));
        }
        if (watermarkMs >= 0) {
            headers.add(Headers.LATE_WATERMARK_MS, Headers.encodeLong(watermarkMs));
        }
        return new ConsumerRecord<>(topic, 0, 7, NOW - 10_000, TimestampType.CREATE_TIME, -1, -1,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8), headers, Optional.empty());
    }
}

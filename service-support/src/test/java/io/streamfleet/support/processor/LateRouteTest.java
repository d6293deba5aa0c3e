package io.streamfleet.support.processor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamfleet.contracts.topic.Headers;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class LateRouteTest {

    private final MockProcessorContext<String, Object> context = new MockProcessorContext<>();
    private final Counter late = new SimpleMeterRegistry().counter("late");
    private final LateRoute route = new LateRoute("some-stage", "late-sink", "order", late);

    private static Record<String, String> record() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Headers.INGESTED_AT_MS, Headers.encodeLong(1_000));
        headers.add("custom", "x".getBytes(StandardCharsets.UTF_8));
        return new Record<>("acct|SYM", "the-event", 4_000L, headers);
    }

    @Test
    void shouldForwardTheRecordUnchangedToTheLateSinkWithStageAndWatermarkAdded() {
        Record<String, String> record = record();
        context.setRecordMetadata("orders.clean", 1, 42);

        route.divert(context, record, "e-1", 4_000, 5_000);

        assertThat(context.forwarded()).singleElement().satisfies(f -> {
            assertThat(f.childName()).contains("late-sink");
            Record<?, ?> out = f.record();
            assertThat(out.key()).isEqualTo("acct|SYM");
            assertThat(out.value()).isEqualTo("the-event");
            assertThat(out.timestamp()).isEqualTo(4_000L);
            assertThat(Arrays.stream(out.headers().toArray()).map(Header::key))
                    .containsExactly(Headers.INGESTED_AT_MS, "custom", Headers.LATE_AT_STAGE,
                            Headers.LATE_WATERMARK_MS);
            assertThat(new String(out.headers().lastHeader(Headers.LATE_AT_STAGE).value(), StandardCharsets.UTF_8))
                    .isEqualTo("some-stage");
            assertThat(Headers.lastLong(out.headers(), Headers.LATE_WATERMARK_MS, -1)).isEqualTo(5_000);
            assertThat(Headers.lastLong(out.headers(), Headers.INGESTED_AT_MS, -1)).isEqualTo(1_000);
        });
        assertThat(record.headers().lastHeader(Headers.LATE_AT_STAGE)).as("input headers left alone").isNull();
    }

    @Test
    void shouldCountAndLogEachDivertedRecordOnceWithItsPosition() {
        context.setRecordMetadata("orders.clean", 1, 42);
        try (CapturedLog log = new CapturedLog(LateRoute.class)) {
            route.divert(context, record(), "e-1", 4_000, 5_000);

            assertThat(log.lines()).containsExactly("INFO Late order e-1 of acct|SYM (event time 4000 < watermark 5000)"
                    + " at orders.clean-1@42: sent to the late topic");
        }
        assertThat(late.count()).isEqualTo(1.0);
    }

    @Test
    void shouldForwardUnderTheKeyTheCallerChose() {
        route.divert(context, record().withKey("user-7"), "e-1", 4_000, 5_000);

        assertThat(context.forwarded()).singleElement()
                .satisfies(f -> assertThat(f.record().key()).isEqualTo("user-7"));
    }
}

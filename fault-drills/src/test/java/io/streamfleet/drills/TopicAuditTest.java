package io.streamfleet.drills;

import io.streamfleet.contracts.progress.ProgressMark;
import io.streamfleet.contracts.progress.ProgressRecords;
import io.streamfleet.contracts.topic.Headers;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which records of the clean and late topics count as the run's data. */
class TopicAuditTest {

    private static final String RUN = "r42";

    private static ConsumerRecord<String, String> record(String key, String value,
                                                         org.apache.kafka.common.header.Headers headers) {
        return new ConsumerRecord<>("orders.clean", 0, 7L, 0L, TimestampType.CREATE_TIME, -1, -1, key, value, headers,
                Optional.empty());
    }

    @Test
    void shouldReadTheEventIdOfADataRecordOfTheRun() {
        ConsumerRecord<String, String> r = record("acct-r42-1|ABC", "{\"eventId\":\"r42-O-17\",\"type\":\"CREATED\"}",
                new RecordHeaders());

        assertThat(TopicAudit.eventId(r, RUN)).isEqualTo("r42-O-17");
    }

    @Test
    void shouldSkipAProgressRecordEvenWhenItCarriesAValue() {
        // progress records have a null value, but the header alone must decide: no progress record is ever data
        ConsumerRecord<String, String> marked = record("acct-r42-1|ABC", "{\"eventId\":\"r42-O-17\"}",
                ProgressRecords.headers(ProgressMark.streamTime("stream-processor", 1_000L)));
        ConsumerRecord<String, String> plain = record(null, null,
                ProgressRecords.headers(ProgressMark.streamTime("stream-processor", 1_000L)));

        assertThat(TopicAudit.eventId(marked, RUN)).isNull();
        assertThat(TopicAudit.eventId(plain, RUN)).isNull();
    }

    @Test
    void shouldSkipRecordsOfOtherRuns() {
        ConsumerRecord<String, String> r = record("acct-r41-1|ABC", "{\"eventId\":\"r41-O-17\"}", new RecordHeaders());

        assertThat(TopicAudit.eventId(r, RUN)).isNull();
    }

    @Test
    void shouldNameTheStageThatDivertedALateRecord() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Headers.LATE_AT_STAGE, "cep-detector".getBytes(StandardCharsets.UTF_8));

        assertThat(TopicAudit.stage(record("k", "{}", headers))).isEqualTo("cep-detector");
        assertThat(TopicAudit.stage(record("k", "{}", new RecordHeaders()))).isEqualTo("unknown stage");
    }
}

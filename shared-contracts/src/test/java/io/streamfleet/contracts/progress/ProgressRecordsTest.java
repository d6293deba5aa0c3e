package io.streamfleet.contracts.progress;

import io.streamfleet.contracts.topic.Topics;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProgressRecordsTest {

    @Test
    void shouldReadBackEveryKindOfMarkFromItsHeaders() {
        for (ProgressMark mark : List.of(ProgressMark.clock("gw-1", 1_000), ProgressMark.leaving("gw-1", 2_000),
                ProgressMark.streamTime("stream-processor", 3_000))) {
            assertThat(ProgressRecords.read(ProgressRecords.headers(mark))).isEqualTo(mark);
            assertThat(ProgressRecords.isProgress(ProgressRecords.headers(mark))).isTrue();
        }
    }

    @Test
    void shouldNameTheHeaderWhenAProgressRecordIsMalformed() {
        RecordHeaders noKind = new RecordHeaders();
        noKind.add(ProgressRecords.SOURCE, "gw".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> ProgressRecords.read(noKind)).hasMessageContaining(ProgressRecords.KIND);

        RecordHeaders badTime = new RecordHeaders(ProgressRecords.headers(ProgressMark.clock("gw", 5)).toArray());
        badTime.remove(ProgressRecords.TIME_MS);
        badTime.add(ProgressRecords.TIME_MS, "soon".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> ProgressRecords.read(badTime)).hasMessageContaining(ProgressRecords.TIME_MS)
                .hasMessageContaining("soon");

        RecordHeaders badKind = new RecordHeaders(ProgressRecords.headers(ProgressMark.clock("gw", 5)).toArray());
        badKind.remove(ProgressRecords.KIND);
        badKind.add(ProgressRecords.KIND, "tick".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> ProgressRecords.read(badKind)).hasMessageContaining("tick");
    }

    @Test
    void shouldRefuseMarksWithoutSourceOrWithNegativeTime() {
        assertThatThrownBy(() -> ProgressMark.clock("", 1)).hasMessageContaining("source");
        assertThatThrownBy(() -> ProgressMark.clock("a\nb", 1)).hasMessageContaining("control");
        assertThatThrownBy(() -> ProgressMark.clock("gw", -1)).hasMessageContaining("time");
    }

    @Test
    void shouldTreatRecordsWithoutTheSourceHeaderAsData() {
        assertThat(ProgressRecords.isProgress(new RecordHeaders())).isFalse();
        assertThat(ProgressRecords.isProgress(null)).isFalse();
    }

    @Test
    void shouldDeserializeProgressRecordsToNullAndDataAsBefore() {
        var skipping = ProgressRecords.skipping(Topics.ORDER_EVENT_SERDE.deserializer());
        assertThat(skipping.deserialize("orders.raw", ProgressRecords.headers(ProgressMark.clock("gw", 1)), (byte[]) null))
                .isNull();
        byte[] json = ("{\"eventId\":\"e-1\",\"accountId\":\"a\",\"symbol\":\"S\",\"eventType\":\"CREATED\","
                + "\"price\":1.5,\"qty\":1,\"eventTimeMs\":10}").getBytes(StandardCharsets.UTF_8);
        assertThat(skipping.deserialize("orders.raw", new RecordHeaders(), json).eventId()).isEqualTo("e-1");
    }

    @Test
    void shouldWriteOneMarkToEveryPartitionOfEveryTopic() {
        Node node = new Node(0, "localhost", 9092);
        List<PartitionInfo> partitions = List.of(
                new PartitionInfo("orders.raw", 0, node, null, null), new PartitionInfo("orders.raw", 1, node, null, null),
                new PartitionInfo("engagement.raw", 0, node, null, null));
        Cluster cluster = new Cluster("c", List.of(node), partitions, Set.of(), Set.of());
        MockProducer<String, byte[]> producer = new MockProducer<>(cluster, true, null, new StringSerializer(),
                new ByteArraySerializer());
        long[] clock = {100};
        ProgressWriter<String, byte[]> writer = new ProgressWriter<>(producer, List.of("orders.raw", "engagement.raw"),
                "gw-a", () -> clock[0]);

        writer.tick();
        clock[0] = 300;
        writer.leave();

        List<ProducerRecord<String, byte[]>> sent = producer.history();
        assertThat(sent).hasSize(6);
        assertThat(sent).allSatisfy(r -> {
            assertThat(r.key()).isNull();
            assertThat(r.value()).isNull();
            assertThat(r.partition()).isNotNull();
        });
        assertThat(sent.subList(0, 3)).extracting(r -> ProgressRecords.read(r.headers()))
                .containsOnly(ProgressMark.clock("gw-a", 100));
        assertThat(sent.subList(3, 6)).extracting(r -> ProgressRecords.read(r.headers()))
                .containsOnly(ProgressMark.leaving("gw-a", 300));
        assertThat(sent.subList(0, 3)).extracting(r -> r.topic() + "-" + r.partition())
                .containsExactly("orders.raw-0", "orders.raw-1", "engagement.raw-0");
    }
}

package io.streamfleet.bench.replay;

import io.streamfleet.bench.replay.RecordingHeader.PartitionRange;
import io.streamfleet.bench.replay.RecordingHeader.TopicSummary;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogCodecTest {

    private static final String EVENT = "{\"eventId\":\"e-1\",\"accountId\":\"a1\",\"price\":101.25,\"qty\":3,"
            + "\"tags\":[\"x\",null,true],\"note\":\"café \\\"quoted\\\" \\\\ \\u0001\"}";

    static LogRecord record(byte[] key, byte[] value, List<LogHeader> headers) {
        return new LogRecord("orders.raw", 2, 17, 1_700_000_000_123L, "CreateTime", key, value, headers);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Property(tries = 300)
    void shouldGiveBackTheExactRecordWhenAnyRecordIsEncodedAndDecoded(@ForAll("records") LogRecord record) {
        String line = LogCodec.encode(record);
        assertThat(line).doesNotContain("\n").doesNotContain("\r");
        assertThat(LogCodec.decode(line)).isEqualTo(record);
    }

    @Provide
    Arbitrary<LogRecord> records() {
        Arbitrary<byte[]> bytes = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40),
                Arbitraries.strings().ofMaxLength(30).map(LogCodecTest::utf8),
                Arbitraries.of(EVENT, "{}", "[1,2.5,-3e-7]", "{ \"a\": 1 }", "{\"a\":1,\"a\":2}", "[1.50]", "null",
                        "{\"x\":1}trailing", "\"s\"", "{\"big\":123456789012345678901234567890}")
                        .map(LogCodecTest::utf8))
                .injectNull(0.15);
        Arbitrary<LogHeader> header = Combinators.combine(
                Arbitraries.of("sf-progress", "sf-progress-kind", "sf-progress-ms", "trace", "dup"), bytes)
                .as(LogHeader::new);
        return Combinators.combine(Arbitraries.of("orders.raw", "engagement.raw", "x"),
                        Arbitraries.integers().between(0, 63), Arbitraries.longs().between(0, Long.MAX_VALUE),
                        Arbitraries.longs().between(-1, Long.MAX_VALUE), Arbitraries.of("CreateTime", "LogAppendTime"),
                        bytes, bytes, header.list().ofMaxSize(4))
                .as(LogRecord::new);
    }

    @Test
    void shouldEmbedTheValueAsJsonWhenItIsCompactJson() {
        String line = LogCodec.encode(record(utf8("a1|ACME"), utf8(EVENT), List.of()));
        assertThat(line).contains("\"key\":\"a1|ACME\"").contains("\"value\":" + EVENT);
        assertThat(LogCodec.decode(line).value()).isEqualTo(utf8(EVENT));
    }

    @Test
    void shouldKeepTheTextWhenJsonIsNotInCompactForm() {
        byte[] spaced = utf8("{ \"eventId\": \"e-1\" }");
        String line = LogCodec.encode(record(null, spaced, List.of()));
        assertThat(line).contains("\"valueText\":\"{ \\\"eventId\\\": \\\"e-1\\\" }\"").contains("\"key\":null");
        assertThat(LogCodec.decode(line).value()).isEqualTo(spaced);
    }

    @Test
    void shouldUseBase64WhenBytesAreNotUtf8() {
        byte[] binary = {(byte) 0xff, 0, (byte) 0xc3};
        String line = LogCodec.encode(record(binary, binary, List.of(new LogHeader("b", binary))));
        assertThat(line).contains("\"keyBase64\":\"/wDD\"").contains("\"valueBase64\":\"/wDD\"")
                .contains("{\"name\":\"b\",\"valueBase64\":\"/wDD\"}");
        LogRecord back = LogCodec.decode(line);
        assertThat(back.key()).isEqualTo(binary);
        assertThat(back.headers().get(0).value()).isEqualTo(binary);
    }

    @Test
    void shouldKeepAProgressRecordWithNullKeyAndValueAndItsHeadersInOrder() {
        List<LogHeader> headers = List.of(LogHeader.text("sf-progress", "gw-1"), LogHeader.text("sf-progress-kind",
                "clock"), LogHeader.text("sf-progress-ms", "1700000000000"), new LogHeader("empty", null));
        LogRecord progress = record(null, null, headers);
        String line = LogCodec.encode(progress);
        assertThat(line).contains("\"value\":null").contains("{\"name\":\"sf-progress\",\"value\":\"gw-1\"}")
                .contains("{\"name\":\"empty\",\"value\":null}");
        LogRecord back = LogCodec.decode(line);
        assertThat(back).isEqualTo(progress);
        assertThat(back.isProgress()).isTrue();
        assertThat(record(null, utf8(EVENT), List.of()).isProgress()).isFalse();
    }

    @Test
    void shouldNameTheProblemWhenALineIsNotARecord() {
        assertThatThrownBy(() -> LogCodec.decode("{\"topic\":\"t\",\"partition\":\"zero\"}"))
                .hasMessageContaining("\"partition\"");
        assertThatThrownBy(() -> LogCodec.decode("{\"topic\":\"t\",\"partition\":0,\"offset\":1,\"timestamp\":2,"
                + "\"valueBase64\":\"***\"}")).hasMessageContaining("valueBase64");
        assertThatThrownBy(() -> LogCodec.decode("not json")).hasMessageStartingWith("not JSON");
    }

    @Test
    void shouldGiveBackTheHeaderWhenItIsEncodedAndDecoded() {
        RecordingHeader header = new RecordingHeader(LogCodec.VERSION, 1_700_000_000_000L, "localhost:9092", List.of(
                new TopicSummary("orders.raw", 3, 5, 2, 10, 20, List.of(new PartitionRange(0, 0, 3, 3),
                        new PartitionRange(1, 4, 6, 2), new PartitionRange(2, 0, 0, 0))),
                new TopicSummary("engagement.raw", 1, 0, 0, -1, -1, List.of(new PartitionRange(0, 0, 0, 0)))));
        String line = LogCodec.encodeHeader(header);
        assertThat(line).startsWith("{\"format\":\"fleet-bench-recording\",\"version\":1,").contains("\"records\":5");
        assertThat(LogCodec.decodeHeader(line)).isEqualTo(header);
    }

    @Test
    void shouldRefuseAFileWhenItsFirstLineIsNotARecordingHeaderOrIsNewer() {
        assertThatThrownBy(() -> LogCodec.decodeHeader("{\"topic\":\"orders.raw\"}"))
                .hasMessageContaining("not a fleet-bench recording");
        assertThatThrownBy(() -> LogCodec.decodeHeader("garbage")).hasMessageContaining("not a fleet-bench recording");
        assertThatThrownBy(() -> LogCodec.decodeHeader("{\"format\":\"fleet-bench-recording\",\"version\":2}"))
                .hasMessageContaining("version 2 is newer");
    }
}

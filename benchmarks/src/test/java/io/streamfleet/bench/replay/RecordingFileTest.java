package io.streamfleet.bench.replay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordingFileTest {

    @TempDir
    Path dir;

    private static LogRecord data(String topic, int partition, long offset, long ts) {
        return new LogRecord(topic, partition, offset, ts, "CreateTime",
                ("k" + offset).getBytes(StandardCharsets.UTF_8),
                ("{\"n\":" + offset + "}").getBytes(StandardCharsets.UTF_8), List.of());
    }

    private static LogRecord progress(String topic, int partition, long offset, long ts) {
        return new LogRecord(topic, partition, offset, ts, "CreateTime", null, null,
                List.of(LogHeader.text("sf-progress", "gw-1"), LogHeader.text("sf-progress-kind", "clock"),
                        LogHeader.text("sf-progress-ms", Long.toString(ts))));
    }

    /** Records the way the record command does: spool per partition, tally, merge by time, write. */
    private Path record(List<LogRecord> consumed) throws IOException {
        Path file = dir.resolve("rec.ndjson.gz");
        RecordingTally tally = new RecordingTally();
        try (PartitionSpools spools = new PartitionSpools(file)) {
            tally.plan("orders.raw", 2, Map.of(0, new long[] {0, 10}, 1, new long[] {0, 10}));
            tally.plan("engagement.raw", 1, Map.of(0, new long[] {5, 9}));
            spools.declare("orders.raw", 0);
            spools.declare("orders.raw", 1);
            spools.declare("engagement.raw", 0);
            for (LogRecord r : consumed) {
                tally.add(r);
                spools.add(r);
            }
            RecordingHeader header = tally.header(123L, "broker:9092");
            RecordingWriter.write(file, header, new TimeMerge<>(spools.finish(), LogRecord::timestampMs), n -> { });
        }
        return file;
    }

    private static List<LogRecord> readAll(Path file) throws IOException {
        List<LogRecord> out = new ArrayList<>();
        try (RecordingReader reader = RecordingReader.open(file)) {
            for (LogRecord r = reader.next(); r != null; r = reader.next()) {
                out.add(r);
            }
        }
        return out;
    }

    @Test
    void shouldWriteAHeaderWithCountsAndRecordsMergedByTimeWhenRecording() throws IOException {
        // consumed partition by partition, as a consumer's fetches return them
        List<LogRecord> consumed = List.of(data("orders.raw", 0, 0, 100), data("orders.raw", 0, 1, 300),
                progress("orders.raw", 0, 2, 500), data("engagement.raw", 0, 5, 50), data("engagement.raw", 0, 6, 400),
                data("orders.raw", 1, 0, 200), data("orders.raw", 1, 1, 150), progress("orders.raw", 1, 2, 500));
        Path file = record(consumed);

        List<LogRecord> read = readAll(file);
        assertThat(read).containsExactlyInAnyOrderElementsOf(consumed);
        assertThat(read).extracting(LogRecord::position).containsExactly("engagement.raw-0@5", "orders.raw-0@0",
                "orders.raw-1@0", "orders.raw-1@1", "orders.raw-0@1", "engagement.raw-0@6", "orders.raw-0@2",
                "orders.raw-1@2");
        try (RecordingReader reader = RecordingReader.open(file)) {
            RecordingHeader h = reader.header();
            assertThat(h.source()).isEqualTo("broker:9092");
            assertThat(h.records()).isEqualTo(8);
            RecordingHeader.TopicSummary orders = h.topic("orders.raw").orElseThrow();
            assertThat(orders.partitions()).isEqualTo(2);
            assertThat(orders.records()).isEqualTo(6);
            assertThat(orders.progressRecords()).isEqualTo(2);
            assertThat(orders.firstTimestampMs()).isEqualTo(100);
            assertThat(orders.lastTimestampMs()).isEqualTo(500);
            assertThat(orders.ranges()).containsExactly(new RecordingHeader.PartitionRange(0, 0, 10, 3),
                    new RecordingHeader.PartitionRange(1, 0, 10, 3));
            assertThat(h.topic("engagement.raw").orElseThrow().ranges())
                    .containsExactly(new RecordingHeader.PartitionRange(0, 5, 9, 2));
        }
        try (var lines = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)),
                StandardCharsets.UTF_8))) {
            assertThat(lines.readLine()).startsWith("{\"format\":\"fleet-bench-recording\"");
        }
        try (var leftovers = Files.list(dir)) {
            assertThat(leftovers).containsExactly(file);
        }
    }

    @Test
    void shouldReportTheFileAsTruncatedWhenItsEndIsCutOff() throws IOException {
        List<LogRecord> ten = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ten.add(data("orders.raw", 0, i, i));
        }
        Path file = record(ten);
        byte[] bytes = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.ndjson.gz");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 12));
        assertThatThrownBy(() -> readAll(cut)).isInstanceOf(IOException.class).hasMessageContaining("truncated");
    }

    @Test
    void shouldReportTheFileAsIncompleteWhenItHoldsFewerRecordsThanItsHeaderAnnounces() throws IOException {
        Path file = record(List.of(data("orders.raw", 0, 0, 1), data("orders.raw", 0, 1, 2)));
        List<String> lines = new ArrayList<>();
        try (var in = RecordingFiles.reader(file)) {
            in.lines().forEach(lines::add);
        }
        Path edited = dir.resolve("edited.ndjson.gz");
        try (var out = RecordingFiles.writer(edited, true)) {
            out.write(lines.get(0) + "\n" + lines.get(1) + "\n");
        }
        assertThatThrownBy(() -> readAll(edited)).hasMessageContaining("holds 1 records of orders.raw where its "
                + "header announces 2");
    }

    @Test
    void shouldSayWhatIsWrongWhenTheFileIsMissingOrNotARecording() throws IOException {
        assertThatThrownBy(() -> RecordingReader.open(dir.resolve("nope.gz"))).hasMessageContaining("no such file");
        Path plain = Files.writeString(dir.resolve("plain.ndjson"), "{\"a\":1}\n");
        assertThatThrownBy(() -> RecordingReader.open(plain)).hasMessageContaining("not gzip");
        Path other = dir.resolve("other.ndjson.gz");
        try (var out = RecordingFiles.writer(other, true)) {
            out.write("{\"eventId\":\"e-1\"}\n");
        }
        assertThatThrownBy(() -> RecordingReader.open(other)).hasMessageContaining("not a fleet-bench recording");
    }

    @Test
    void shouldKeepEachPartitionsOrderWhenTimestampsGoBackwards() throws IOException {
        List<LogRecord> consumed = List.of(data("orders.raw", 0, 0, 900), data("orders.raw", 0, 1, 100),
                data("orders.raw", 1, 0, 500), data("orders.raw", 1, 1, 50));
        List<LogRecord> read = readAll(record(consumed));
        for (int p = 0; p < 2; p++) {
            int partition = p;
            assertThat(read.stream().filter(r -> r.partition() == partition).map(LogRecord::offset).toList())
                    .isSortedAccordingTo(Comparator.naturalOrder());
        }
    }
}

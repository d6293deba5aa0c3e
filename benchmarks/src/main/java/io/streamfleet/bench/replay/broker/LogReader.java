package io.streamfleet.bench.replay.broker;

import io.streamfleet.bench.replay.LogHeader;
import io.streamfleet.bench.replay.LogRecord;
import io.streamfleet.bench.replay.OffsetBound;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;

/**
 * Reads stretches of topics exactly as they are: {@code read_committed} (aborted transactions and open ones are not
 * read; the end is the last stable offset), bytes untouched, partitions assigned directly so no consumer group is
 * created or disturbed.
 */
public final class LogReader implements AutoCloseable {

    /** What to read of one topic: its partition count and the offsets {@code [from, to)} per partition. */
    public record Plan(String topic, int partitions, List<Range> ranges) {
        public long offsets() {
            return ranges.stream().mapToLong(r -> r.to() - r.from()).sum();
        }
    }

    public record Range(int partition, long from, long to) {
    }

    /** Receives each record read, in offset order per partition. */
    public interface Sink {
        void accept(LogRecord record) throws IOException;
    }

    /** Called about every 200 ms with the offsets passed so far (of {@code total}) and the records read. */
    public interface Progress {
        void update(long offsetsDone, long offsetsTotal, long records);
    }

    private final String bootstrap;
    private final Duration timeout;
    private final KafkaConsumer<byte[], byte[]> consumer;

    public LogReader(String bootstrap, Duration timeout) {
        this.bootstrap = bootstrap;
        this.timeout = timeout;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "fleet-bench-record");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** @throws IllegalArgumentException when a topic does not exist */
    public List<Plan> plan(List<String> topics, OffsetBound from, OffsetBound to) {
        List<Plan> plans = new ArrayList<>();
        for (String topic : new LinkedHashSet<>(topics)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException("topic " + topic + " does not exist on " + bootstrap);
            }
            List<TopicPartition> tps = infos.stream().map(i -> new TopicPartition(topic, i.partition()))
                    .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(tps, timeout);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps, timeout);
            OffsetBound.TimeLookup times = lookup(tps, from, to);
            List<Range> ranges = new ArrayList<>();
            for (TopicPartition tp : tps) {
                long b = begin.get(tp);
                long e = end.get(tp);
                long f = from.resolve(topic, tp.partition(), b, e, true, times);
                long t = Math.max(f, to.resolve(topic, tp.partition(), b, e, false, times));
                ranges.add(new Range(tp.partition(), f, t));
            }
            plans.add(new Plan(topic, tps.size(), ranges));
        }
        return plans;
    }

    /** Reads every planned range to its end; fails when the log stops moving for the timeout. */
    public long read(List<Plan> plans, Sink sink, Progress progress) throws IOException {
        Map<TopicPartition, Range> open = new HashMap<>();
        long total = 0;
        for (Plan plan : plans) {
            total += plan.offsets();
            for (Range r : plan.ranges()) {
                if (r.to() > r.from()) {
                    open.put(new TopicPartition(plan.topic(), r.partition()), r);
                }
            }
        }
        consumer.assign(open.keySet());
        open.forEach((tp, r) -> consumer.seek(tp, r.from()));
        long records = 0;
        long lastDone = -1;
        long stalledSince = System.nanoTime();
        long lastReport = 0;
        while (!open.isEmpty()) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                Range range = open.get(new TopicPartition(r.topic(), r.partition()));
                if (range != null && r.offset() < range.to()) {
                    sink.accept(toLogRecord(r));
                    records++;
                }
            }
            long done = total;
            for (var it = open.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                long position = consumer.position(e.getKey(), timeout);
                if (position >= e.getValue().to()) {
                    consumer.pause(List.of(e.getKey()));
                    it.remove();
                } else {
                    done -= e.getValue().to() - position;
                }
            }
            if (done != lastDone) {
                lastDone = done;
                stalledSince = System.nanoTime();
            } else if (System.nanoTime() - stalledSince > timeout.toNanos()) {
                throw new IOException("no progress for " + timeout.toSeconds() + " s reading " + open.keySet()
                        + " (is the broker at " + bootstrap + " still up?)");
            }
            if (System.nanoTime() - lastReport > 200_000_000L || open.isEmpty()) {
                lastReport = System.nanoTime();
                progress.update(done, total, records);
            }
        }
        return records;
    }

    static LogRecord toLogRecord(ConsumerRecord<byte[], byte[]> r) {
        List<LogHeader> headers = new ArrayList<>();
        for (Header h : r.headers()) {
            headers.add(new LogHeader(h.key(), h.value()));
        }
        return new LogRecord(r.topic(), r.partition(), r.offset(), r.timestamp(), r.timestampType().name,
                r.key(), r.value(), headers);
    }

    private OffsetBound.TimeLookup lookup(List<TopicPartition> tps, OffsetBound from, OffsetBound to) {
        Map<String, OffsetAndTimestamp> found = new HashMap<>();
        for (OffsetBound bound : List.of(from, to)) {
            if (bound instanceof OffsetBound.Time t) {
                Map<TopicPartition, Long> query = new HashMap<>();
                tps.forEach(tp -> query.put(tp, t.epochMs()));
                consumer.offsetsForTimes(query, timeout).forEach((tp, ot) -> found.put(key(tp, t.epochMs()), ot));
            }
        }
        return (topic, partition, ms) -> {
            OffsetAndTimestamp ot = found.get(key(new TopicPartition(topic, partition), ms));
            return ot == null ? OptionalLong.empty() : OptionalLong.of(ot.offset());
        };
    }

    private static String key(TopicPartition tp, long ms) {
        return tp + "@" + ms;
    }

    @Override
    public void close() {
        consumer.close();
    }
}

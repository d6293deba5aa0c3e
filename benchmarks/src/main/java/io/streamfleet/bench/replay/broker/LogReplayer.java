package io.streamfleet.bench.replay.broker;

import io.streamfleet.bench.replay.LogHeader;
import io.streamfleet.bench.replay.LogRecord;
import io.streamfleet.bench.replay.Pacer;
import io.streamfleet.bench.replay.RecordingReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes a recording into topics: each record to its recorded partition number, in file order (so in recorded order
 * per partition), with its key, value, headers and timestamp unchanged. The producer is idempotent with
 * {@code acks=all}, so retries neither duplicate nor reorder.
 */
public final class LogReplayer {

    /** What blocks a replay ({@code problems}) and what only deserves a word ({@code notes}). */
    public record Check(List<String> problems, List<String> notes) {
    }

    /** Called at least every 200 ms while records are sent or the pacer waits. */
    public interface Progress {
        void update(long sent, long acked, long elapsedNanos, long behindNanos);
    }

    public record Result(long sent, long progressRecords, long elapsedNanos, Map<String, Long> perTopic) {
    }

    private final String bootstrap;
    private final Duration timeout;

    public LogReplayer(String bootstrap, Duration timeout) {
        this.bootstrap = bootstrap;
        this.timeout = timeout;
    }

    /** @param partitions recorded partition count per target topic */
    public Check check(Map<String, Integer> partitions, boolean append) throws IOException {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis()))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (Map.Entry<String, Integer> e : partitions.entrySet()) {
                String topic = e.getKey();
                int have = describe(admin, topic);
                if (have < 0) {
                    problems.add("topic " + topic + " does not exist on " + bootstrap + ": create it with at least "
                            + e.getValue() + " partitions (a fleet started with './fleet up' has all its topics)");
                } else if (have < e.getValue()) {
                    problems.add("topic " + topic + " has " + have + " partitions, the recording has " + e.getValue()
                            + ": records keep their partition number, so it needs at least " + e.getValue());
                } else {
                    if (have > e.getValue()) {
                        notes.add("topic " + topic + " has " + have + " partitions, the recording " + e.getValue()
                                + ": partitions " + e.getValue() + ".." + (have - 1) + " get nothing");
                    }
                    for (int p = 0; p < have; p++) {
                        latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
                    }
                }
            }
            if (!append && !latest.isEmpty()) {
                Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
                latest.keySet().forEach(tp -> earliest.put(tp, OffsetSpec.earliest()));
                Map<TopicPartition, ListOffsetsResultInfo> end = offsets(admin, latest);
                Map<TopicPartition, ListOffsetsResultInfo> begin = offsets(admin, earliest);
                Map<String, Long> held = new LinkedHashMap<>();
                end.forEach((tp, info) -> held.merge(tp.topic(), info.offset() - begin.get(tp).offset(), Long::sum));
                held.forEach((topic, n) -> {
                    if (n > 0) {
                        problems.add("topic " + topic + " is not empty (" + n + " offsets): replay into a fresh "
                                + "fleet whose topics are empty and where no ingest-gateway runs (it writes progress "
                                + "records into the raw topics), or pass --append to add to it anyway");
                    }
                });
            }
        }
        return new Check(problems, notes);
    }

    /**
     * Sends the records of {@code reader} whose topic has a target (others are skipped), paced by {@code pacer}.
     *
     * @throws IOException when the broker refuses a record; the message names the recorded record
     */
    public Result replay(RecordingReader reader, Map<String, String> targets, Pacer pacer, Progress progress)
            throws IOException {
        AtomicReference<String> failure = new AtomicReference<>();
        AtomicLong acked = new AtomicLong();
        Map<String, Long> perTopic = new LinkedHashMap<>();
        long sent = 0;
        long progressRecords = 0;
        long start = System.nanoTime();
        long lastReport = start;
        try (KafkaProducer<byte[], byte[]> producer = producer(pacer)) {
            for (LogRecord r = reader.next(); r != null && failure.get() == null; r = reader.next()) {
                String target = targets.get(r.topic());
                if (target == null) {
                    continue;
                }
                long wait = pacer.waitNanos(r.timestampMs(), System.nanoTime() - start);
                while (wait > 0) {
                    sleep(Math.min(wait, 100_000_000L));
                    progress.update(sent, acked.get(), System.nanoTime() - start, 0);
                    lastReport = System.nanoTime();
                    wait = pacer.waitNanos(r.timestampMs(), System.nanoTime() - start);
                }
                String position = r.position();
                producer.send(toProducerRecord(target, r), (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, "writing " + position + " to " + target + " failed: " + e);
                    } else {
                        acked.incrementAndGet();
                    }
                });
                sent++;
                progressRecords += r.isProgress() ? 1 : 0;
                perTopic.merge(target, 1L, Long::sum);
                if (System.nanoTime() - lastReport > 200_000_000L) {
                    lastReport = System.nanoTime();
                    long elapsed = lastReport - start;
                    progress.update(sent, acked.get(), elapsed, pacer.behindNanos(elapsed));
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IOException(failure.get());
        }
        long elapsed = System.nanoTime() - start;
        progress.update(sent, acked.get(), elapsed, 0);
        return new Result(sent, progressRecords, elapsed, perTopic);
    }

    static ProducerRecord<byte[], byte[]> toProducerRecord(String topic, LogRecord r) {
        RecordHeaders headers = new RecordHeaders();
        for (LogHeader h : r.headers()) {
            headers.add(h.name(), h.value());
        }
        return new ProducerRecord<>(topic, r.partition(), r.timestampMs(), r.key(), r.value(), headers);
    }

    private KafkaProducer<byte[], byte[]> producer(Pacer pacer) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.LINGER_MS_CONFIG, pacer.unlimited() ? "10" : "1");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout.toMillis()));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "fleet-bench-replay");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Partition count, or -1 when the topic does not exist. */
    private int describe(Admin admin, String topic) throws IOException {
        try {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            return d.partitions().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return -1;
            }
            throw new IOException("cannot describe " + topic + " on " + bootstrap + ": " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new IOException("no answer from " + bootstrap + " within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    private Map<TopicPartition, ListOffsetsResultInfo> offsets(Admin admin, Map<TopicPartition, OffsetSpec> spec)
            throws IOException {
        try {
            return admin.listOffsets(spec).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot list offsets on " + bootstrap + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    private static void sleep(long nanos) throws IOException {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }
}

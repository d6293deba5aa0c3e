package io.streamfleet.support.streams;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Whether the upstream stage still has input it has not committed: its consumer group's committed offsets behind
 * the end offsets of its input topics. Read on a background thread (never on a stream thread) every
 * {@code refresh}; a reading that failed or is older than {@code staleAfter} (broker unreachable) counts as behind,
 * so in doubt time does not advance. This is what keeps a downstream detector from idle-advancing its watermark
 * while the stage before it is down, and then finding that stage's backlog late.
 */
public final class UpstreamProgress implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(UpstreamProgress.class);

    private final Admin admin;
    private final UpstreamProperties settings;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private volatile boolean behind = true;
    private volatile long lastReadingMs = Long.MIN_VALUE;
    private volatile long lag = -1;
    private volatile Map<Integer, Long> lagByPartition = Map.of();
    private volatile int upstreamPartitions = 0;
    private volatile String lastError = "";

    public UpstreamProgress(Admin admin, UpstreamProperties settings, Clock clock) {
        this.admin = admin;
        this.settings = settings;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "upstream-progress");
            thread.setDaemon(true);
            return thread;
        });
    }

    public void start() {
        if (!settings.enabled()) {
            return;
        }
        long period = Math.max(50, settings.refresh().toMillis());
        scheduler.scheduleWithFixedDelay(this::refresh, 0, period, TimeUnit.MILLISECONDS);
    }

    /** True when the upstream has uncommitted input, or when its progress could not be read recently. */
    public boolean behind() {
        if (!settings.enabled()) {
            return false;
        }
        return behind || stale();
    }

    /**
     * True when the upstream has uncommitted input for the partition number {@code partition} (the fleet creates
     * raw and clean topics with the same partition count and key, so upstream partition p feeds our partition p),
     * or when its progress could not be read recently. A partition number the upstream does not have falls back to
     * the whole upstream.
     */
    public boolean behind(int partition) {
        if (!settings.enabled()) {
            return false;
        }
        if (stale()) {
            return true;
        }
        if (partition >= upstreamPartitions) {
            return behind;
        }
        return lagByPartition.getOrDefault(partition, 0L) > 0;
    }

    private boolean stale() {
        return lastReadingMs == Long.MIN_VALUE || clock.millis() - lastReadingMs > settings.staleAfter().toMillis();
    }

    /** Records the upstream has not committed yet at the last reading; -1 before the first reading. */
    public long lag() {
        return lag;
    }

    /** Why the last reading failed, or empty. */
    public String lastError() {
        return lastError;
    }

    /** One reading; public for tests, otherwise run by the scheduler. */
    public void refresh() {
        try {
            long total = readLag();
            lag = total;
            behind = total > 0;
            lastReadingMs = clock.millis();
            lastError = "";
        } catch (Exception e) {
            behind = true;
            log.debug("Cannot read the progress of upstream group {}: {}", settings.groupId(), e.toString());
            lastError = e.toString();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private long readLag() throws Exception {
        Map<Integer, Long> byPartition = new HashMap<>();
        long timeout = Math.max(1_000, settings.staleAfter().toMillis());
        Map<String, TopicDescription> topics = admin.describeTopics(settings.topics()).allTopicNames()
                .get(timeout, TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        topics.values().forEach(d -> d.partitions()
                .forEach(p -> ends.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> endOffsets = admin.listOffsets(ends).all()
                .get(timeout, TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetAndMetadata> committed = committedOffsets(timeout);
        long total = 0;
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end : endOffsets.entrySet()) {
            OffsetAndMetadata done = committed.get(end.getKey());
            long position = done == null ? 0 : done.offset();
            long behindBy = Math.max(0, end.getValue().offset() - position);
            total += behindBy;
            byPartition.merge(end.getKey().partition(), behindBy, Long::sum);
        }
        lagByPartition = Map.copyOf(byPartition);
        upstreamPartitions = topics.values().stream().mapToInt(d -> d.partitions().size()).min().orElse(0);
        return total;
    }

    /** The group's committed offsets; none when the group has never committed (it does not exist yet). */
    private Map<TopicPartition, OffsetAndMetadata> committedOffsets(long timeoutMs) throws Exception {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(settings.groupId())
                    .partitionsToOffsetAndMetadata().get(timeoutMs, TimeUnit.MILLISECONDS);
            return offsets == null ? Map.of() : offsets;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return Map.of();
            }
            throw e;
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        admin.close(Duration.ofSeconds(2));
    }
}

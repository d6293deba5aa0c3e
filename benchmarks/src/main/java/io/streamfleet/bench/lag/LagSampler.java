package io.streamfleet.bench.lag;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples consumer lag of the fleet's consumer groups with the admin client once per interval: committed offsets
 * against the last stable offsets (read_committed, as the services read).
 */
public final class LagSampler implements AutoCloseable {

    public static final List<String> FLEET_GROUPS = List.of("streamfleet-stream-processor",
            "streamfleet-cep-detector", "streamfleet-session-analytics");

    private final Admin admin;
    private final List<String> groups;
    private final long startMs;
    private final List<LagSample> samples = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-lag");
        t.setDaemon(true);
        return t;
    });
    private volatile String lastProblem = "";

    public LagSampler(String bootstrapServers, List<String> groups, long startMs) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "fleet-bench-lag");
        this.admin = Admin.create(props);
        this.groups = List.copyOf(groups);
        this.startMs = startMs;
    }

    public void start(long intervalMs) {
        scheduler.scheduleWithFixedDelay(this::sampleAll, 0, intervalMs, TimeUnit.MILLISECONDS);
    }

    private void sampleAll() {
        long at = System.currentTimeMillis() - startMs;
        for (String group : groups) {
            try {
                samples.add(new LagSample(at, group, lag(group)));
            } catch (Exception e) {
                lastProblem = group + ": " + e.getClass().getSimpleName() + " " + e.getMessage();
            }
        }
    }

    /** Current lag of a group, −1 if it has committed nothing. */
    public long lag(String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
        if (committed.isEmpty()) {
            return -1;
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        committed.keySet().forEach(tp -> request.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(request,
                new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(5, TimeUnit.SECONDS);
        long lag = 0;
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed.entrySet()) {
            if (e.getValue() != null && ends.containsKey(e.getKey())) {
                lag += Math.max(0, ends.get(e.getKey()).offset() - e.getValue().offset());
            }
        }
        return lag;
    }

    /** The latest lag of each group that has committed offsets; empty before the first such sample. */
    public Map<String, Long> latest() {
        Map<String, Long> latest = new HashMap<>();
        for (LagSample sample : samples) {
            if (sample.lag() >= 0) {
                latest.put(sample.group(), sample.lag());
            }
        }
        return latest;
    }

    public List<LagSample> samples() {
        return List.copyOf(samples);
    }

    public String lastProblem() {
        return lastProblem;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(java.time.Duration.ofSeconds(3));
    }
}

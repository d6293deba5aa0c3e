package io.streamfleet.support.streams;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Whether the broker leading each input partition answered recently. While a broker is down the consumer's lag
 * metric keeps its last value (0), so a silent partition looks idle and idle advance would move its stream time by
 * the whole outage — and the events the gateway buffered or clients re-sent meanwhile would then be late (KI-1 after
 * a broker restart). A partition whose leader has not answered within {@code staleAfter} is not known to be idle.
 * <p>
 * Asks for the latest offsets of the partitions it has been asked about, on its own thread every {@code refresh};
 * a partition asked about for the first time counts as unreachable until the next answer.
 */
public final class BrokerReachability implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BrokerReachability.class);

    private final Admin admin;
    private final Duration refresh;
    private final Duration staleAfter;
    private final LongSupplier clock;
    private final Set<TopicPartition> watched = ConcurrentHashMap.newKeySet();
    private final Map<TopicPartition, Long> answeredAtMs = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "broker-reachability");
        thread.setDaemon(true);
        return thread;
    });
    private volatile String lastError = "";

    public BrokerReachability(Admin admin, Duration refresh, Duration staleAfter, LongSupplier clock) {
        if (staleAfter.compareTo(refresh) <= 0) {
            throw new IllegalArgumentException("stale-after (" + staleAfter + ") must be longer than refresh ("
                    + refresh + ")");
        }
        this.admin = admin;
        this.refresh = refresh;
        this.staleAfter = staleAfter;
        this.clock = clock;
    }

    public void start() {
        scheduler.scheduleWithFixedDelay(this::refresh, 0, Math.max(10, refresh.toMillis()), TimeUnit.MILLISECONDS);
    }

    /** True when the partition's leader answered within the staleness bound; starts watching the partition. */
    public boolean reachable(TopicPartition partition) {
        if (watched.add(partition)) {
            return false;
        }
        Long at = answeredAtMs.get(partition);
        return at != null && clock.getAsLong() - at <= staleAfter.toMillis();
    }

    /** Watched partitions whose leader has not answered within the staleness bound. */
    public long unreachablePartitions() {
        long now = clock.getAsLong();
        return watched.stream().filter(p -> {
            Long at = answeredAtMs.get(p);
            return at == null || now - at > staleAfter.toMillis();
        }).count();
    }

    /** Why the last request failed, or empty. */
    public String lastError() {
        return lastError;
    }

    /** One round of requests; public for tests, otherwise run by the scheduler. */
    public void refresh() {
        if (watched.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        watched.forEach(p -> request.put(p, OffsetSpec.latest()));
        ListOffsetsResult result = admin.listOffsets(request);
        String error = "";
        long deadline = System.nanoTime() + staleAfter.toNanos();
        for (TopicPartition partition : request.keySet()) {
            try {
                result.partitionResult(partition).get(Math.max(0, deadline - System.nanoTime()),
                        TimeUnit.NANOSECONDS);
                answeredAtMs.put(partition, clock.getAsLong());
            } catch (ExecutionException | TimeoutException e) {
                error = partition + ": " + e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (!error.equals(lastError) && !error.isEmpty()) {
            log.debug("Broker did not answer for an input partition: {}", error);
        }
        lastError = error;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        admin.close(Duration.ofSeconds(2));
    }
}

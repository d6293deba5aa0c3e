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
 * The broker's view of each input partition, read on its own thread: the log-end offset, when it last moved, and
 * when the partition's leader last answered. Idle advance trusts neither the consumer's {@code records-lag} metric
 * alone (it is only as fresh as the last fetch of the partition: it was seen reading 0 for 13 s while the log grew
 * by thousands of records, and stream time then advanced over them) nor silence during a broker outage (the metric
 * keeps its last value). So a partition {@linkplain #holdsBack holds idle advance back} while
 * <ul>
 *   <li>its log end moved within {@code quietAfter} — records are arriving, so it is not idle, whatever the
 *   consumer has fetched so far;</li>
 *   <li>or its leader has not answered within {@code staleAfter} — we cannot tell idle from unreachable.</li>
 * </ul>
 * A partition asked about for the first time holds back until it has been watched for {@code quietAfter}.
 */
public final class InputLogWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InputLogWatch.class);

    private final Admin admin;
    private final Duration refresh;
    private final Duration staleAfter;
    private final Duration quietAfter;
    private final LongSupplier clock;
    private final Set<TopicPartition> watched = ConcurrentHashMap.newKeySet();
    private final Map<TopicPartition, PartitionView> views = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "input-log-watch");
        thread.setDaemon(true);
        return thread;
    });
    private volatile String lastError = "";

    /** What the broker last said about one partition. */
    private record PartitionView(long logEnd, long movedAtMs, long answeredAtMs) {
    }

    public InputLogWatch(Admin admin, Duration refresh, Duration staleAfter, Duration quietAfter, LongSupplier clock) {
        if (staleAfter.compareTo(refresh) <= 0) {
            throw new IllegalArgumentException("stale-after (" + staleAfter + ") must be longer than refresh ("
                    + refresh + ")");
        }
        if (quietAfter.isNegative()) {
            throw new IllegalArgumentException("quiet-after must be >= 0, was " + quietAfter);
        }
        this.admin = admin;
        this.refresh = refresh;
        this.staleAfter = staleAfter;
        this.quietAfter = quietAfter;
        this.clock = clock;
    }

    public void start() {
        scheduler.scheduleWithFixedDelay(this::refresh, 0, Math.max(10, refresh.toMillis()), TimeUnit.MILLISECONDS);
    }

    /** True while the partition must not be advanced as idle (see the class comment); starts watching it. */
    public boolean holdsBack(TopicPartition partition) {
        return !reachable(partition) || recentlyAppended(partition);
    }

    /** True when the partition's leader answered within the staleness bound; starts watching the partition. */
    public boolean reachable(TopicPartition partition) {
        if (watched.add(partition)) {
            return false;
        }
        return answeredRecently(views.get(partition), clock.getAsLong());
    }

    /** True when the partition's log end moved (or was first seen) within the quiet period. */
    public boolean recentlyAppended(TopicPartition partition) {
        PartitionView view = views.get(partition);
        return view == null || clock.getAsLong() - view.movedAtMs() < quietAfter.toMillis();
    }

    /** Watched partitions whose leader has not answered within the staleness bound. */
    public long unreachablePartitions() {
        long now = clock.getAsLong();
        return watched.stream().filter(p -> !answeredRecently(views.get(p), now)).count();
    }

    private boolean answeredRecently(PartitionView view, long now) {
        return view != null && now - view.answeredAtMs() <= staleAfter.toMillis();
    }

    /** Watched partitions whose log end moved within the quiet period (records arriving). */
    public long appendingPartitions() {
        return watched.stream().filter(this::recentlyAppended).count();
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
                long end = result.partitionResult(partition)
                        .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS).offset();
                long now = clock.getAsLong();
                views.compute(partition, (p, old) -> old == null || old.logEnd() != end
                        ? new PartitionView(end, now, now) : new PartitionView(end, old.movedAtMs(), now));
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

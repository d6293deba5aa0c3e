package io.streamfleet.cep.topology;

import io.streamfleet.cep.operator.DetectorSettings;
import io.streamfleet.cep.support.Orders;
import io.streamfleet.contracts.alert.AnomalyAlert;
import io.streamfleet.contracts.event.OrderEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How late in event time an episode's alert comes under traffic shaped like fleet-bench's (docs/cep-detector.md,
 * "Detection delay"): background orders on many keys, episodes interleaved with them, some keys with a second episode
 * after the first (so their state is read back, or held by the processor, between the two), and stream-time marks
 * every 200 ms as stream-processor writes them. The candidate is due once W passes t(c) + T2, i.e. once stream time
 * passes t(c) + T2 + lateness; the alert's {@code detectedAtMs} (stream time at emission) must follow within the
 * evaluation interval while data flows, and within one mark interval when only marks move time. A deferred evaluation
 * (a lost or misplaced wake-up, a stale cached state) shows here as seconds of event time, independent of machine
 * load, whereas the whole-fleet latency adds the pipeline's wall-clock delay on top of it.
 */
class DetectionDelayTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final long TRAFFIC_MS = 32_000;
    private static final long BACKGROUND_EVERY_MS = 3;
    private static final int BACKGROUND_KEYS = 1_000;
    private static final long MARK_EVERY_MS = 200;
    /** Anchor of an episode built by {@link #episode}: its last create. */
    private static final long ANCHOR_OFFSET = 90;

    private final DetectorSettings settings = DetectorSettings.defaults();
    private final DriverHarness harness = new DriverHarness(settings);

    @AfterEach
    void close() {
        harness.close();
    }

    private static List<OrderEvent> episode(String account, long start) {
        return Orders.forKey(account, "ACME").creates(10, start, 10, 10.00, 10.01, 10.02)
                .cancels(8, start + 100, 10).build();
    }

    @Test
    void everyEpisodeIsDetectedWithinTheEvaluationIntervalOfItsDeadline() {
        long dueAfter = settings.burst().cancelWindow().toMillis() + settings.burst().lateness().toMillis();
        long interval = settings.punctuationInterval().toMillis();
        List<OrderEvent> events = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(7);
        // one background order every 3 ms over 1 000 keys: one per key every three seconds, never a burst; the traffic
        // lasts past the last episode's deadline, so data (not marks) moves time there
        for (long t = T0; t < T0 + TRAFFIC_MS; t += BACKGROUND_EVERY_MS) {
            int key = random.nextInt(BACKGROUND_KEYS);
            Orders orders = Orders.forKey("bg-" + key, "SYM");
            switch (random.nextInt(3)) {
                case 0 -> orders.created(t, 10.00 + random.nextInt(5) / 100.0);
                case 1 -> orders.filled(t);
                default -> orders.cancelled(t);
            }
            events.add(withId(orders.build().get(0), "bg-" + t));
        }
        // 24 episodes on 12 accounts: each account gets a second one 13 s after its first
        Map<String, List<Long>> anchors = new HashMap<>();
        for (int i = 0; i < 12; i++) {
            String account = "ep-" + i;
            for (long start : new long[]{T0 + 2_000 + i * 1_000L + 7 * i, T0 + 15_000 + i * 1_000L + 11 * i}) {
                events.addAll(episode(account, start));
                anchors.computeIfAbsent(account + "|ACME", k -> new ArrayList<>()).add(start + ANCHOR_OFFSET);
            }
        }
        events.sort(Comparator.comparingLong(OrderEvent::eventTimeMs).thenComparing(OrderEvent::eventId));

        long newest = Long.MIN_VALUE;
        long nextMark = T0 + MARK_EVERY_MS;
        for (OrderEvent event : events) {
            while (event.eventTimeMs() >= nextMark) {
                harness.progress(newest);
                nextMark += MARK_EVERY_MS;
            }
            harness.pipe(event, -1);
            newest = Math.max(newest, event.eventTimeMs());
        }
        // the partition goes quiet: only marks move time from here, one every 200 ms as the gateway's do
        long quietUntil = newest + dueAfter + 2_000;
        for (long mark = newest + MARK_EVERY_MS; mark <= quietUntil; mark += MARK_EVERY_MS) {
            harness.progress(mark);
        }
        // and one episode after the traffic, decided by marks alone
        long lastStart = quietUntil + 500;
        List<OrderEvent> last = episode("ep-quiet", lastStart);
        last.forEach(e -> harness.pipe(e, -1));
        long lastEvent = last.get(last.size() - 1).eventTimeMs();
        for (long mark = lastEvent; mark <= lastEvent + dueAfter + 2_000; mark += MARK_EVERY_MS) {
            harness.progress(mark);
        }

        Map<String, List<AnomalyAlert>> alerts = new HashMap<>();
        for (AnomalyAlert alert : harness.alerts()) {
            alerts.computeIfAbsent(alert.accountId() + "|" + alert.symbol(), k -> new ArrayList<>()).add(alert);
        }
        assertThat(alerts.keySet()).as("only the episodes' keys alert")
                .containsExactlyInAnyOrderElementsOf(concat(anchors.keySet(), "ep-quiet|ACME"));
        anchors.forEach((key, due) -> {
            List<AnomalyAlert> found = alerts.get(key);
            assertThat(found).as(key).hasSize(due.size());
            for (int i = 0; i < due.size(); i++) {
                long late = found.get(i).detectedAtMs() - (due.get(i) + dueAfter);
                assertThat(late).as("%s episode %d: detected %d ms after its deadline", key, i, late)
                        .isBetween(1L, interval + BACKGROUND_EVERY_MS);
            }
        });
        long quietLate = alerts.get("ep-quiet|ACME").get(0).detectedAtMs() - (lastStart + ANCHOR_OFFSET + dueAfter);
        assertThat(quietLate).as("episode decided by marks alone: detected %d ms after its deadline", quietLate)
                .isBetween(1L, MARK_EVERY_MS);
    }

    private static OrderEvent withId(OrderEvent e, String id) {
        return new OrderEvent(id, e.accountId(), e.symbol(), e.eventType(), e.orderId(), e.side(), e.price(), e.qty(),
                e.eventTimeMs());
    }

    private static List<String> concat(java.util.Set<String> keys, String more) {
        List<String> all = new ArrayList<>(keys);
        all.add(more);
        return all;
    }
}

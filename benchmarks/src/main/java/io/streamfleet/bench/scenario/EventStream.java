package io.streamfleet.bench.scenario;

import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.EngagementEventType;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Merges background traffic (made on the fly, one event per slot at the configured rate), the labelled events and
 * the duplicates into one stream in send order. Deterministic: one random source consumed in emission order.
 */
final class EventStream implements Iterator<BenchEvent> {

    private static final EngagementEventType[] ENGAGEMENT_TYPES = {EngagementEventType.VIEW_START,
            EngagementEventType.VIEW_END, EngagementEventType.SCROLL, EngagementEventType.CLICK};

    private final ScenarioSettings s;
    private final List<BenchEvent> labelled;
    private final SplittableRandom rng;
    private final OrderNoise orders;
    private final IdSequence engagementIds;
    private final PriorityQueue<BenchEvent> duplicates = new PriorityQueue<>(
            Comparator.comparingLong(BenchEvent::sendOffsetNanos));
    private final long slots;
    /** Latest engagement event time generated per background user. */
    private final long[] lastEngagementMs;
    private long slot;
    private int nextLabelled;

    EventStream(ScenarioSettings settings, String runId, List<BenchEvent> labelled) {
        this.s = settings;
        this.labelled = labelled;
        this.rng = new SplittableRandom(settings.seed());
        this.orders = new OrderNoise(settings, runId, rng);
        this.engagementIds = new IdSequence(runId + "-E");
        this.slots = settings.backgroundEvents();
        this.lastEngagementMs = new long[settings.engagementUsers()];
        Arrays.fill(lastEngagementMs, Long.MIN_VALUE);
    }

    @Override
    public boolean hasNext() {
        return slot < slots || nextLabelled < labelled.size() || !duplicates.isEmpty();
    }

    @Override
    public BenchEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        long slotTime = slot < slots ? slot * 1_000_000_000L / s.ratePerSecond() : Long.MAX_VALUE;
        long labelTime = nextLabelled < labelled.size() ? labelled.get(nextLabelled).sendOffsetNanos() : Long.MAX_VALUE;
        long dupTime = duplicates.isEmpty() ? Long.MAX_VALUE : duplicates.peek().sendOffsetNanos();
        BenchEvent event;
        if (dupTime <= labelTime && dupTime <= slotTime) {
            return duplicates.poll();
        } else if (labelTime <= slotTime) {
            event = labelled.get(nextLabelled++);
        } else {
            event = background(slotTime);
            slot++;
        }
        maybeDuplicate(event);
        return event;
    }

    private BenchEvent background(long sendNanos) {
        if (rng.nextDouble() < s.engagementShare()) {
            return BenchEvent.engagement(sendNanos, engagement(sendNanos), EventTag.NOISE, null);
        }
        return orders.next(sendNanos);
    }

    private EngagementEvent engagement(long sendNanos) {
        long clock = s.engagementClockStartMs() + TimeUnit.NANOSECONDS.toMillis(sendNanos) * s.engagementSpeed();
        long time = clock - ScenarioGenerator.jitter(rng, s.engagementJitterMs());
        int user = rng.nextInt(s.engagementUsers());
        // a steady per-user dwell (±5 %) so background users can never drop 30 % below their own baseline
        long baseDwell = 20_000 + (user * 7_919L) % 60_000;
        EngagementEventType type = ENGAGEMENT_TYPES[rng.nextInt(ENGAGEMENT_TYPES.length)];
        // a session without a view_end has asdMs 0 (docs/session-analytics.md#sessions-and-engagement-drops), a
        // 100 % drop that rightly alerts: so every session a background user opens starts with one (a gap near the
        // session gap counts as a new session, to be safe)
        long sinceLast = lastEngagementMs[user] == Long.MIN_VALUE ? Long.MAX_VALUE : time - lastEngagementMs[user];
        if (sinceLast > s.session().inactivityGapMs() - 2 * s.engagementJitterMs() - 60_000) {
            type = EngagementEventType.VIEW_END;
        }
        lastEngagementMs[user] = Math.max(lastEngagementMs[user], time);
        long dwell = type == EngagementEventType.VIEW_END ? baseDwell * (95 + rng.nextInt(11)) / 100 : 0;
        return new EngagementEvent(engagementIds.get(), "u-" + user + "-" + orders.runId(), "c-" + rng.nextInt(5_000),
                type, time, dwell, type == EngagementEventType.VIEW_END && rng.nextInt(3) == 0);
    }

    private void maybeDuplicate(BenchEvent event) {
        if (s.duplicateRate() > 0 && rng.nextDouble() < s.duplicateRate()) {
            long maxDelayMs = event.isOrder() ? 500 : Math.max(1, s.session().latenessMs() / 4 / s.engagementSpeed());
            long delay = TimeUnit.MILLISECONDS.toNanos(1 + rng.nextLong(maxDelayMs));
            if (event.sendOffsetNanos() + delay > TimeUnit.MILLISECONDS.toNanos(s.durationMs())) {
                return;
            }
            duplicates.add(event.resentAt(event.sendOffsetNanos() + delay, EventTag.DUPLICATE));
        }
    }
}

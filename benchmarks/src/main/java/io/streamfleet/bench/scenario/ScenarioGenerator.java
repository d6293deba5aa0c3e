package io.streamfleet.bench.scenario;

import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.OrderEvent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Places the labelled episodes and near-misses over the run, each on a key of its own, and derives the ground truth
 * by construction. Every key and event id carries the run id, so runs against the same fleet never share state.
 */
public final class ScenarioGenerator {

    static final String[] SYMBOLS = {"AAPL", "MSFT", "NVDA", "AMZN", "GOOG", "META", "TSLA", "ASML", "SAP", "NESN"};

    private ScenarioGenerator() {
    }

    public static Scenario generate(ScenarioSettings s) {
        String runId = runId(s.seed(), s.startMs());
        SplittableRandom rng = new SplittableRandom(s.seed() ^ 0x5DEECE66DL);
        IdSequence ids = new IdSequence(runId + "-L");
        List<BenchEvent> labelled = new ArrayList<>();
        List<Label> labels = new ArrayList<>();
        placeOrders(s, runId, rng, ids, labelled, labels);
        if (s.engagementShare() > 0) {
            placeEngagement(s, runId, rng, ids, labelled, labels);
        }
        labelled.sort(Comparator.comparingLong(BenchEvent::sendOffsetNanos).thenComparing(BenchEvent::eventId));
        return new Scenario(s, runId, new GroundTruth(runId, s.seed(), s.startMs(), labels), labelled);
    }

    private static void placeOrders(ScenarioSettings s, String runId, SplittableRandom rng, IdSequence ids,
                                    List<BenchEvent> out, List<Label> labels) {
        int total = s.orderEpisodes() + s.orderNearMisses();
        if (total == 0) {
            return;
        }
        BurstRules r = s.burst();
        long labelSpan = r.burstWindowMs() + r.cancelWindowMs() + 10;
        long usable = s.durationMs() - s.warmUpMs() - labelSpan - s.jitterMs() - 500;
        OrderEpisodes builder = new OrderEpisodes(r, ids);
        int episodes = 0;
        int nearMisses = 0;
        for (int i = 0; i < total; i++) {
            boolean episode = (long) i * s.orderEpisodes() / total != (long) (i + 1) * s.orderEpisodes() / total
                    || nearMisses >= s.orderNearMisses();
            OrderVariant variant = episode ? OrderVariant.EPISODES[episodes % OrderVariant.EPISODES.length]
                    : OrderVariant.NEAR_MISSES[nearMisses % OrderVariant.NEAR_MISSES.length];
            String labelId = episode ? String.format("ep-%03d", ++episodes) : String.format("nm-%03d", ++nearMisses);
            String account = (episode ? "ep-" : "nm-") + runId + "-" + labelId.substring(3);
            String symbol = SYMBOLS[rng.nextInt(SYMBOLS.length)];
            long first = s.startMs() + s.warmUpMs() + usable * i / total + rng.nextLong(Math.max(1, usable / total));
            OrderEpisodes.Built built = builder.build(labelId, variant, account, symbol, first,
                    5_000 + rng.nextInt(40_000), rng);
            labels.add(built.label());
            EventTag tag = episode ? EventTag.EPISODE : EventTag.NEAR_MISS;
            for (OrderEvent e : built.events()) {
                long sendMs = e.eventTimeMs() - s.startMs() + jitter(rng, s.jitterMs());
                out.add(BenchEvent.order(TimeUnit.MILLISECONDS.toNanos(sendMs), e, tag, labelId));
            }
        }
    }

    private static void placeEngagement(ScenarioSettings s, String runId, SplittableRandom rng, IdSequence ids,
                                        List<BenchEvent> out, List<Label> labels) {
        int total = s.engagementEpisodes() + s.engagementNearMisses();
        EngagementEpisodes builder = new EngagementEpisodes(s.session(), ids);
        long clockStart = s.engagementClockStartMs() + 60_000;
        long room = s.engagementClockEndMs() - builder.timelineMs() - clockStart;
        if (total == 0 || room <= 0) {
            return;
        }
        int drops = 0;
        int nearMisses = 0;
        for (int i = 0; i < total; i++) {
            boolean drop = (long) i * s.engagementEpisodes() / total != (long) (i + 1) * s.engagementEpisodes() / total
                    || nearMisses >= s.engagementNearMisses();
            String labelId = drop ? String.format("ed-%03d", ++drops) : String.format("en-%03d", ++nearMisses);
            String user = "u-" + labelId + "-" + runId;
            long first = clockStart + room * i / total;
            EngagementEpisodes.Built built = builder.build(labelId, drop, user, first, rng);
            labels.add(built.label());
            EventTag tag = drop ? EventTag.EPISODE : EventTag.NEAR_MISS;
            for (EngagementEvent e : built.events()) {
                long eventOffset = e.eventTimeMs() - s.engagementClockStartMs() + jitter(rng, s.engagementJitterMs());
                long sendNanos = TimeUnit.MILLISECONDS.toNanos(eventOffset) / s.engagementSpeed();
                out.add(BenchEvent.engagement(sendNanos, e, tag, labelId));
            }
        }
    }

    static long jitter(SplittableRandom rng, long maxMs) {
        return maxMs == 0 ? 0 : rng.nextLong(maxMs + 1);
    }

    /** Short, stable id of a run: same seed and start ⇒ same id. */
    static String runId(long seed, long startMs) {
        long h = seed * 0x9E3779B97F4A7C15L ^ startMs;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        String id = Long.toString(h & 0xFFFFFFFFFFL, 36);
        return "r" + "0".repeat(Math.max(0, 8 - id.length())) + id;
    }
}

package io.streamfleet.launcher.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates the demo's events. Orders use the wall clock; engagement uses a clock that starts two days in the past
 * and runs {@link #ENGAGEMENT_SPEEDUP} times faster (never passing the present), so 30-minute session gaps pass in
 * about 90 seconds while every event stays valid.
 */
final class DemoScenario {

    static final int ENGAGEMENT_SPEEDUP = 20;
    private static final String[] SYMBOLS = {"AAPL", "MSFT", "TSLA", "NVDA", "AMZN"};
    private static final int ACCOUNTS = 20;
    private static final int USERS = 12;
    static final String EARLY_DROP_USER = "user-early-drop";

    private final long startWallMs;
    private final long engagementStartMs;
    private final Random random;
    private final UserSession[] users = new UserSession[USERS];
    private final UserSession earlyUser;
    private long sequence;
    private int episodes;

    DemoScenario(long startWallMs, long seed) {
        this.startWallMs = startWallMs;
        this.engagementStartMs = startWallMs - 2L * 24 * 3600 * 1000;
        this.random = new Random(seed);
        for (int i = 0; i < USERS; i++) {
            users[i] = new UserSession("user-" + (i + 1), engagementStartMs + random.nextInt(600_000));
        }
        // live sessions only after the session gap has passed the short session, so they cannot merge with it
        earlyUser = new UserSession(EARLY_DROP_USER, engagementStartMs + 15 * 60_000L);
    }

    /** Events for one tick at wall-clock {@code nowMs}: a few orders and whatever engagement is due. */
    List<Map<String, Object>> tick(long nowMs) {
        List<Map<String, Object>> events = new ArrayList<>();
        int orders = 8 + random.nextInt(8);
        for (int i = 0; i < orders; i++) {
            String account = "acc-" + (1 + random.nextInt(ACCOUNTS));
            String symbol = SYMBOLS[random.nextInt(SYMBOLS.length)];
            double price = 100 + random.nextInt(50) + random.nextInt(100) / 100.0;
            double roll = random.nextDouble();
            String type = roll < 0.6 ? "CREATED" : roll < 0.9 ? "FILLED" : "CANCELLED";
            events.add(order(account, symbol, type, price, nowMs - random.nextInt(200)));
        }
        long engagementNow = Math.min(nowMs - 1_000, engagementStartMs + (nowMs - startWallMs) * ENGAGEMENT_SPEEDUP);
        for (UserSession user : users) {
            user.emitUntil(engagementNow, events);
        }
        // after its history the early-drop user goes on like the others, which keeps its partition's time moving
        earlyUser.emitUntil(engagementNow, events);
        return events;
    }

    /**
     * The next injected episode: alerting ones and near misses take turns. Alerting episodes vary in size (10–40
     * creates), price levels (3–8), cancel ratio (0.80–1.00) and pace; each near miss breaks exactly one rule of the
     * detection (two price levels, ratio 0.67, nine creates, cancels after the cancel window) so it must not alert.
     */
    Episode nextEpisode(long nowMs) {
        int n = episodes++;
        return n % 2 == 0 ? alertingEpisode(nowMs) : nearMiss(nowMs, (n / 2) % NEAR_MISSES.length);
    }

    /** An episode and whether the detector should report it. */
    record Episode(String kind, boolean alerts, List<Map<String, Object>> events) {
    }

    static final long EPISODE_END_MS = 100;
    static final long MAX_EPISODE_SPAN_MS = 2_600;
    static final String[] NEAR_MISSES = {"two price levels", "cancel ratio 0.67", "nine creates",
            "cancels after the cancel window"};

    private Episode alertingEpisode(long nowMs) {
        int creates = 10 + random.nextInt(31);
        int levels = 3 + random.nextInt(6);
        int cancels = Math.min(creates, (int) Math.ceil(creates * (0.8 + random.nextInt(21) / 100.0)));
        long burstMs = 600 + random.nextInt(1_000);
        long cancelMs = 300 + random.nextInt(500);
        String account = "acc-spoof-" + (1 + random.nextInt(3));
        return new Episode(creates + " creates, " + levels + " levels, " + cancels + " cancels", true,
                burst(account, nowMs, creates, levels, burstMs, cancels, 50, cancelMs));
    }

    private Episode nearMiss(long nowMs, int variant) {
        String account = "acc-near-" + (1 + random.nextInt(3));
        List<Map<String, Object>> events = switch (variant) {
            case 0 -> burst(account, nowMs, 14, 2, 1_200, 12, 50, 500);
            case 1 -> burst(account, nowMs, 12, 4, 1_200, 8, 50, 500);
            case 2 -> burst(account, nowMs, 9, 3, 1_000, 9, 50, 500);
            default -> burst(account, nowMs, 12, 4, 800, 11, 1_200, 500);
        };
        return new Episode("near miss: " + NEAR_MISSES[variant], false, events);
    }

    /**
     * {@code creates} orders spread over {@code burstMs} at {@code levels} tick levels, then {@code cancels} of them
     * cancelled from {@code gapMs} after the last create over {@code cancelMs}. Ends {@link #EPISODE_END_MS} before
     * {@code nowMs} and spans at most {@link #MAX_EPISODE_SPAN_MS}: the noise orders of the same batch carry times
     * up to {@code nowMs}, and stream-processor diverts orders more than 3 s behind them as late.
     */
    private List<Map<String, Object>> burst(String account, long nowMs, int creates, int levels, long burstMs,
                                            int cancels, long gapMs, long cancelMs) {
        String symbol = SYMBOLS[random.nextInt(SYMBOLS.length)];
        long end = nowMs - EPISODE_END_MS;
        long lastCreate = end - gapMs - cancelMs;
        long start = lastCreate - burstMs;
        double base = 100 + random.nextInt(200);
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < creates; i++) {
            Map<String, Object> order = order(account, symbol, "CREATED", base + (i % levels) * 0.01,
                    start + burstMs * i / Math.max(1, creates - 1));
            order.put("orderId", account + "-" + symbol + "-" + order.get("eventId"));
            events.add(order);
        }
        for (int i = 0; i < cancels; i++) {
            Map<String, Object> created = events.get(creates - 1 - i);
            Map<String, Object> cancel = order(account, symbol, "CANCELLED", (double) created.get("price"),
                    lastCreate + gapMs + cancelMs * i / Math.max(1, cancels - 1));
            cancel.put("orderId", created.get("orderId"));
            events.add(cancel);
        }
        return events;
    }

    /**
     * An early engagement drop: one user's history of three ordinary sessions and one short one, all in the past of
     * the engagement clock, sent first so the short session closes (and alerts) within a minute of the demo's start.
     */
    List<Map<String, Object>> earlyDropHistory() {
        List<Map<String, Object>> events = new ArrayList<>();
        long shortEnd = engagementStartMs - 20 * 60_000L;
        long[] dwells = {32_000, 27_000, 35_000, 3_500};
        long sessionStart = shortEnd - 3 * 45 * 60_000L - 60_000L;
        for (int s = 0; s < dwells.length; s++) {
            long t = sessionStart + s * 45 * 60_000L;
            for (int v = 0; v < 4; v++) {
                long dwell = dwells[s] + random.nextInt(2_000);
                String content = "video-" + (1 + random.nextInt(40));
                events.add(earlyUser.engagement("view_start", content, t, 0, false));
                events.add(earlyUser.engagement("view_end", content, t + dwell, dwell, true));
                t += dwell + 5_000;
            }
        }
        return events;
    }

    private Map<String, Object> order(String account, String symbol, String type, double price, long timeMs) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("kind", "order");
        event.put("eventId", "demo-o-" + startWallMs + "-" + (sequence++));
        event.put("accountId", account);
        event.put("symbol", symbol);
        event.put("eventType", type);
        event.put("price", Math.round(price * 100) / 100.0);
        event.put("qty", 1 + random.nextInt(500));
        event.put("eventTimeMs", timeMs);
        return event;
    }

    /** One user's sessions: views of 20–60 s, a short-attention session (3–6 s views) every fourth session. */
    private final class UserSession {
        private final String userId;
        private long nextEventMs;
        private int sessionNumber;
        private int viewsLeft;

        UserSession(String userId, long firstEventMs) {
            this.userId = userId;
            this.nextEventMs = firstEventMs;
            startSession();
        }

        private void startSession() {
            sessionNumber++;
            viewsLeft = 3 + random.nextInt(4);
        }

        void emitUntil(long engagementNowMs, List<Map<String, Object>> out) {
            while (nextEventMs <= engagementNowMs) {
                boolean shortSession = sessionNumber % 4 == 0;
                long dwell = shortSession ? 3_000 + random.nextInt(3_000) : 20_000 + random.nextInt(40_000);
                String content = "video-" + (1 + random.nextInt(40));
                out.add(engagement("view_start", content, nextEventMs, 0, false));
                if (random.nextInt(3) == 0) {
                    out.add(engagement("click", content, nextEventMs + dwell / 2, 0, false));
                }
                out.add(engagement("view_end", content, nextEventMs + dwell, dwell, random.nextBoolean()));
                nextEventMs += dwell + 5_000;
                if (--viewsLeft == 0) {
                    nextEventMs += 35L * 60 * 1000 + random.nextInt(600_000);
                    startSession();
                }
            }
        }

        Map<String, Object> engagement(String type, String content, long timeMs, long dwellMs, boolean done) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("kind", "engagement");
            event.put("eventId", "demo-e-" + startWallMs + "-" + (sequence++));
            event.put("userId", userId);
            event.put("contentId", content);
            event.put("eventType", type);
            event.put("eventTimeMs", timeMs);
            event.put("dwellMs", dwellMs);
            event.put("completed", done);
            return event;
        }
    }
}

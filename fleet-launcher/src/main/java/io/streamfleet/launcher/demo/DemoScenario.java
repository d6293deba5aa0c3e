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

    private final long startWallMs;
    private final long engagementStartMs;
    private final Random random;
    private final UserSession[] users = new UserSession[USERS];
    private long sequence;

    DemoScenario(long startWallMs, long seed) {
        this.startWallMs = startWallMs;
        this.engagementStartMs = startWallMs - 2L * 24 * 3600 * 1000;
        this.random = new Random(seed);
        for (int i = 0; i < USERS; i++) {
            users[i] = new UserSession("user-" + (i + 1), engagementStartMs + random.nextInt(600_000));
        }
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
        return events;
    }

    /** A burst-create / mass-cancel episode on one key: 12 creates at 4 levels within 1.5 s, 10 cancels within 0.8 s. */
    List<Map<String, Object>> burstEpisode(long nowMs) {
        String account = "acc-spoof-" + (1 + random.nextInt(3));
        String symbol = SYMBOLS[random.nextInt(SYMBOLS.length)];
        long start = nowMs - 2_500;
        double base = 200 + random.nextInt(20);
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            events.add(order(account, symbol, "CREATED", base + (i % 4) * 0.01, start + i * 125L));
        }
        for (int i = 0; i < 10; i++) {
            events.add(order(account, symbol, "CANCELLED", base + (i % 4) * 0.01, start + 1_500 + i * 80L));
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

        private Map<String, Object> engagement(String type, String content, long timeMs, long dwellMs, boolean done) {
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

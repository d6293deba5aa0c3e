package io.streamfleet.drills;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One burst-create / mass-cancel episode on a single account and symbol that the default detection rule alerts on,
 * as a JSON array for {@code POST /v1/orders}: 12 creates over 1.4 s at 4 price levels, then 10 cancels within
 * 0.75 s. Its event times end about 0.3 s before {@code nowMs}, inside the lateness bound. For tests and benchmarks
 * that need exactly one known alert; the drills' labelled scenarios come from the benchmarks' generator.
 */
public final class BurstEpisode {

    private BurstEpisode() {
    }

    /** The episode's orders; event ids are {@code <account>-<i>}, so the account must be unique per episode. */
    public static String ordersJson(String account, String symbol, long nowMs) {
        long start = nowMs - 2_500;
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 22; i++) {
            boolean create = i < 12;
            long time = create ? start + i * 125L : start + 1_500 + (i - 12) * 80L;
            double price = 210 + (i % 4) * 0.01;
            events.add(String.format(Locale.ROOT, "{\"eventId\":\"%s-%d\",\"accountId\":\"%s\",\"symbol\":\"%s\","
                    + "\"eventType\":\"%s\",\"price\":%.2f,\"qty\":10,\"eventTimeMs\":%d}", account, i, account, symbol,
                    create ? "CREATED" : "CANCELLED", price, time));
        }
        return "[" + String.join(",", events) + "]";
    }
}

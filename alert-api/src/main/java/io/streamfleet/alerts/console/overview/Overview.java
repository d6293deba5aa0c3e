package io.streamfleet.alerts.console.overview;

import io.streamfleet.contracts.alert.Alert;
import io.streamfleet.contracts.alert.AlertType;
import io.streamfleet.contracts.alert.AnomalyAlert;
import io.streamfleet.contracts.alert.EngagementAlert;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The console's overview of the last {@code minutes} minutes: alerts per minute by type, and the accounts, symbols
 * and users with the most alerts. An alert counts at its arrival time: the gateway ingestion time of the event that
 * completed it (detection times are event times, which for replayed or back-dated traffic can be days old).
 *
 * @param nowMs      end of the range (exclusive upper minute is the current one)
 * @param minuteMs   start of each minute bucket, oldest first
 * @param perMinute  per alert type, one count per bucket
 * @param total      alerts in the range
 * @param accounts   top accounts (burst alerts)
 * @param symbols    top symbols (burst alerts)
 * @param users      top users (engagement drops)
 */
public record Overview(long nowMs, List<Long> minuteMs, Map<AlertType, List<Integer>> perMinute, int total,
                       List<Count> accounts, List<Count> symbols, List<Count> users) {

    /** A subject and its alert count. */
    public record Count(String name, int alerts) {
    }

    /** Alert plus the time it counts at. */
    public record Arrival(Alert alert, long atMs) {
    }

    /** Builds the overview of the arrivals in the {@code minutes} minutes up to {@code nowMs}. */
    public static Overview of(Iterable<Arrival> arrivals, long nowMs, int minutes, int top) {
        long currentMinute = Math.floorDiv(nowMs, 60_000L) * 60_000L;
        long firstMinute = currentMinute - (minutes - 1) * 60_000L;
        List<Long> buckets = new ArrayList<>(minutes);
        for (int i = 0; i < minutes; i++) {
            buckets.add(firstMinute + i * 60_000L);
        }
        Map<AlertType, int[]> counts = new EnumMap<>(AlertType.class);
        for (AlertType type : AlertType.values()) {
            counts.put(type, new int[minutes]);
        }
        Map<String, Integer> accounts = new HashMap<>();
        Map<String, Integer> symbols = new HashMap<>();
        Map<String, Integer> users = new HashMap<>();
        int total = 0;
        for (Arrival arrival : arrivals) {
            if (arrival.atMs() < firstMinute || arrival.atMs() > nowMs) {
                continue;
            }
            int bucket = (int) ((arrival.atMs() - firstMinute) / 60_000L);
            counts.get(arrival.alert().type())[bucket]++;
            total++;
            if (arrival.alert() instanceof AnomalyAlert a) {
                accounts.merge(a.accountId(), 1, Integer::sum);
                symbols.merge(a.symbol(), 1, Integer::sum);
            } else if (arrival.alert() instanceof EngagementAlert e) {
                users.merge(e.userId(), 1, Integer::sum);
            }
        }
        Map<AlertType, List<Integer>> perMinute = new EnumMap<>(AlertType.class);
        counts.forEach((type, c) -> perMinute.put(type, Arrays.stream(c).boxed().toList()));
        return new Overview(nowMs, List.copyOf(buckets), perMinute, total, top(accounts, top), top(symbols, top),
                top(users, top));
    }

    /** Most alerts first, ties by name so the list does not flicker between refreshes. */
    static List<Count> top(Map<String, Integer> counts, int limit) {
        return counts.entrySet().stream().map(e -> new Count(e.getKey(), e.getValue()))
                .sorted(Comparator.comparingInt(Count::alerts).reversed().thenComparing(Count::name))
                .limit(limit).toList();
    }
}

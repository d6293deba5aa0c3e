package io.streamfleet.processor.bench;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The in-JVM broker's own request counters ({@code kafka.network:type=RequestMetrics,name=RequestsPerSec}, one meter
 * per request type and version), summed per type: how many produce, fetch, transaction and offset requests a run cost.
 */
final class BrokerRequestCounts {

    private BrokerRequestCounts() {
    }

    static Map<String, Long> read() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Map<String, Long> counts = new TreeMap<>();
        try {
            for (ObjectName name : server.queryNames(
                    new ObjectName("kafka.network:type=RequestMetrics,name=RequestsPerSec,*"), null)) {
                long count = ((Number) server.getAttribute(name, "Count")).longValue();
                counts.merge(name.getKeyProperty("request"), count, Long::sum);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the broker's request metrics", e);
        }
        return counts;
    }

    /** Requests per 1 000 records between two readings, largest first, types with none left out. */
    static String perThousand(Map<String, Long> before, Map<String, Long> after, long records) {
        return after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> String.format("%s %.1f", e.getKey(), e.getValue() * 1000.0 / records))
                .collect(Collectors.joining(", "));
    }
}

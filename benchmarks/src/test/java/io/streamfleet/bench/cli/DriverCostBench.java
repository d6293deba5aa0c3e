package io.streamfleet.bench.cli;

import io.streamfleet.bench.driver.WireJson;
import io.streamfleet.bench.scenario.BenchEvent;
import io.streamfleet.bench.scenario.ScenarioGenerator;
import io.streamfleet.bench.scenario.ScenarioSettings;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * What fleet-bench's open-loop driver spends per event before the wire, with no fleet: drawing the scenario's events
 * and writing them as the gateway's JSON arrays (the two largest parts of the driver thread's Java samples in a JFR
 * profile at 16 000 events/s). Takes fleet-bench's scenario options ({@code --driver http-batch --rate 20000
 * --duration 120s --warm-up 10s}, batch size as fleet-bench chooses it) and a fixed start time, runs the whole
 * scenario {@code --rounds} times (the first warms the JIT) and prints the CPU of this thread per event, with a
 * digest of every byte written, so two versions of the driver can be checked to send the same requests.
 */
public final class DriverCostBench {

    private DriverCostBench() {
    }

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(List.of(args));
        int rounds = 3;
        int at = rest.indexOf("--rounds");
        if (at >= 0) {
            rounds = Integer.parseInt(rest.get(at + 1));
            rest.subList(at, at + 2).clear();
        }
        BenchOptions options = BenchOptions.parse(rest);
        int batchSize = options.batchSize();
        ScenarioSettings settings = BenchRun.settings(options, 1_796_500_000_000L);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int round = 1; round <= rounds; round++) {
            long cpu = threads.getCurrentThreadCpuTime();
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            Iterator<BenchEvent> events = ScenarioGenerator.generate(settings).iterator();
            List<BenchEvent> batch = new ArrayList<>(batchSize);
            long count = 0;
            while (events.hasNext()) {
                batch.add(events.next());
                count++;
                if (batch.size() == batchSize || !events.hasNext()) {
                    digest.update(WireJson.array(batch).getBytes(StandardCharsets.UTF_8));
                    batch.clear();
                }
            }
            double micros = (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / count;
            System.out.printf(Locale.ROOT, "round %d: %,d events, %.2f µs of CPU per event, digest %s%n", round, count,
                    micros, HexFormat.of().formatHex(digest.digest()).substring(0, 16));
        }
    }
}

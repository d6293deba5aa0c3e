package io.streamfleet.bench.cli;

import io.streamfleet.bench.lag.LagSampler;
import io.streamfleet.launcher.ExtraInstance;
import io.streamfleet.launcher.Fleet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The instances of the three Streams services in a fleet of {@link ScaleOutBench}: the one the launcher started
 * (instance 1) and extra ones ({@link ExtraInstance}, numbered from 2). Scales each service to a count, waits for its
 * consumer group to settle, and reads per instance the records its stream threads processed
 * ({@code kafka_stream_thread_process_total}) and the partitions assigned to it.
 */
final class StreamsInstances implements AutoCloseable {

    static final List<String> SERVICES = List.of("stream-processor", "cep-detector", "session-analytics");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Fleet fleet;
    private final Admin admin;
    /** Per service: instance name → HTTP port, the launcher's own instance first. */
    private final Map<String, Map<String, Integer>> ports = new LinkedHashMap<>();
    private final Map<String, ExtraInstance> extras = new TreeMap<>();
    /** Per service: records processed by instances stopped since {@link #forgetDeparted}, read just before the stop. */
    private final Map<String, Map<String, Double>> departed = new LinkedHashMap<>();
    private int nextNumber = 2;

    StreamsInstances(Fleet fleet) {
        this.fleet = fleet;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                fleet.layout().bootstrapServers()));
        for (String service : SERVICES) {
            Map<String, Integer> own = new LinkedHashMap<>();
            own.put(service, fleet.layout().service(service).port());
            ports.put(service, own);
        }
    }

    /** Instances per service right now (the same for every service). */
    int count() {
        return ports.get(SERVICES.get(0)).size();
    }

    /** Starts (in parallel) or stops (newest first) extra instances until every service runs {@code n}. */
    void scaleTo(int n) {
        List<CompletableFuture<ExtraInstance>> starting = new ArrayList<>();
        for (int i = count(); i < n; i++) {
            int number = nextNumber++;
            for (String service : SERVICES) {
                starting.add(CompletableFuture.supplyAsync(() -> ExtraInstance.start(fleet, service, number)));
            }
        }
        starting.forEach(f -> add(f.join()));
        while (count() > n) {
            stopNewest();
        }
    }

    /** Starts one more instance of every service, in parallel; returns when all are ready. */
    void addOne() {
        scaleTo(count() + 1);
    }

    /** Stops the oldest extra instance of every service (gracefully, in parallel). */
    void stopOldestExtra() {
        stopExtras(SERVICES.stream().map(s -> ports.get(s).keySet().stream().skip(1).findFirst().orElseThrow())
                .toList());
    }

    private void stopNewest() {
        stopExtras(SERVICES.stream().map(s -> List.copyOf(ports.get(s).keySet()).get(ports.get(s).size() - 1))
                .toList());
    }

    private void stopExtras(List<String> names) {
        for (String name : names) {
            String service = serviceOf(name);
            departed.computeIfAbsent(service, s -> new LinkedHashMap<>())
                    .put(name, processTotal(extras.get(name).port()));
        }
        names.forEach(name -> extras.get(name).process().requestStop());
        for (String name : names) {
            extras.remove(name).stop();
            ports.values().forEach(m -> m.remove(name));
        }
    }

    private synchronized void add(ExtraInstance instance) {
        extras.put(instance.name(), instance);
        ports.get(serviceOf(instance.name())).put(instance.name(), instance.port());
    }

    private static String serviceOf(String instance) {
        return SERVICES.stream().filter(s -> instance.equals(s) || instance.startsWith(s + "-")).findFirst()
                .orElseThrow();
    }

    /** Drops the last readings of instances stopped so far (a new run starts). */
    void forgetDeparted() {
        departed.clear();
    }

    /** Waits until every Streams group is STABLE with one member per instance (1 stream thread each). */
    String awaitSettled(Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            Map<String, ConsumerGroupDescription> groups = admin.describeConsumerGroups(LagSampler.FLEET_GROUPS)
                    .all().get(30, TimeUnit.SECONDS);
            boolean settled = groups.values().stream().allMatch(g -> g.groupState() == GroupState.STABLE
                    && g.members().size() == count());
            last = assignment(groups);
            if (settled) {
                return last;
            }
            Thread.sleep(1_000);
        }
        return "NOT SETTLED within " + limit.toSeconds() + " s: " + last;
    }

    /** Partitions per member of every group, e.g. {@code streamfleet-cep-detector: cep-detector-1=4 ...}. */
    private static String assignment(Map<String, ConsumerGroupDescription> groups) {
        StringBuilder s = new StringBuilder();
        groups.forEach((group, g) -> {
            s.append("\n    ").append(group).append(" ").append(g.groupState()).append(':');
            Map<String, Integer> byMember = new TreeMap<>();
            for (MemberDescription m : g.members()) {
                byMember.put(m.groupInstanceId().orElse(m.consumerId()), m.assignment().topicPartitions().size());
            }
            byMember.forEach((member, parts) -> s.append(' ').append(member).append('=').append(parts));
        });
        return s.toString();
    }

    /** Records processed so far per instance (sum over its stream threads), by service; -1 when unreadable. */
    Map<String, Map<String, Double>> processed() {
        Map<String, Map<String, Double>> all = new LinkedHashMap<>();
        ports.forEach((service, instances) -> {
            Map<String, Double> byInstance = new LinkedHashMap<>();
            instances.forEach((name, port) -> byInstance.put(name, processTotal(port)));
            byInstance.putAll(departed.getOrDefault(service, Map.of()));
            all.put(service, byInstance);
        });
        return all;
    }

    static double processTotal(int port) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + "/actuator/prometheus")).timeout(Duration.ofSeconds(20)).GET().build();
            String body = HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
            return sumOf(body, "kafka_stream_thread_process_total");
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Sum of every sample of a Prometheus metric (all label sets) in an exposition text. */
    static double sumOf(String exposition, String metric) {
        double sum = 0;
        for (String line : exposition.split("\n")) {
            if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    @Override
    public void close() {
        extras.values().forEach(i -> i.process().requestStop());
        extras.values().forEach(ExtraInstance::stop);
        extras.clear();
        admin.close(Duration.ofSeconds(5));
    }
}

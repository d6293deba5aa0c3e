package io.streamfleet.drills;

import io.streamfleet.bench.sse.ReceivedAlert;
import io.streamfleet.bench.sse.SseSubscriber;
import io.streamfleet.drills.FaultSteps.Group;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long each Kafka Streams service takes to process again after a SIGKILL and after a graceful restart, with a
 * chosen amount of state: {@code keys} orders (each of its own account, so one dedup entry and one detector key each)
 * and {@code keys} engagement events (each of its own user, so one open session each) are posted through the gateway
 * first. The fleet runs from the repository's jars with their start-up archives where usable
 * ({@link DrillFleet#inPlace}), in a temporary folder on free ports.
 *
 * <p>"Ready" = readiness UP; "processing" = the service's consumer group committed past where it stood on every input
 * partition (the gateway's progress records arrive every 200 ms, so there is always input); for alert-api, the first
 * alert served on SSE after its restart. Times are from the SIGKILL, or from the new start for a graceful restart. The
 * restore is read from the restarted service's log ({@code Restored n records of store …}). While a service is down
 * after its SIGKILL (except session-analytics, which order alerts do not pass) a burst/cancel episode is posted; the
 * bench times its alert on SSE from the restart and checks at the end that it came exactly once.
 *
 * <p>Arguments: {@code [keys (1000)] [rounds (3)] [services (stream-processor,cep-detector,session-analytics,
 * alert-api)]};
 * {@code -Dbench.repo} (default {@code .}). Figures and the command: docs/recovery.md, "Recovery time by state size".
 */
public final class RecoveryTimeBench {

    private static final Duration PROGRESS_WAIT = Duration.ofSeconds(180);
    private static final Pattern RESTORED = Pattern.compile("Restored (\\d+) records of (\\S+) from \\S+ in (\\d+) ms");
    private static final int BATCH = 1000;

    private final DrillFleet fleet;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String run = Long.toString(System.currentTimeMillis(), 36);

    record Result(int round, String service, String kind, long readyMs, long processingMs, long restoredRecords,
                  long restoreMaxMs, boolean wiped, long alertAfterReadyMs, String episode, String load) {
    }

    private SseSubscriber sse;

    private RecoveryTimeBench(DrillFleet fleet, PrintStream out) {
        this.fleet = fleet;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<String> services = List.of((args.length > 2 ? args[2]
                : "stream-processor,cep-detector,session-analytics,alert-api").split(","));
        Path repo = Path.of(System.getProperty("bench.repo", ".")).toAbsolutePath().normalize();
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        List<String> missing = DrillFleet.missingJars(repo);
        if (!missing.isEmpty()) {
            System.err.println("recovery bench: build the jars first ('./fleet build'); missing: " + missing);
            System.exit(2);
        }
        Path work = Files.createTempDirectory("recovery-time-bench");
        try (DrillFleet fleet = DrillFleet.inPlace(repo, work, out)) {
            // Ctrl-C or kill stops the fleet's processes too (down() is idempotent), not only a normal end
            Runtime.getRuntime().addShutdownHook(new Thread(fleet::down, "recovery-bench-fleet-down"));
            new RecoveryTimeBench(fleet, out).run(keys, rounds, services);
        }
    }

    private void run(int keys, int rounds, List<String> services) throws Exception {
        out.printf("%s, %d cores, java %s, load %s, %d keys%n", LocalDateTime.now(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"), load(), keys);
        fleet.up();
        sse = new SseSubscriber(fleet.alertApiUrl(), fleet.apiKey());
        if (!sse.start(Duration.ofSeconds(30))) {
            throw new IllegalStateException("the SSE alert stream did not open: " + sse.lastProblem());
        }
        long seeded = seed(keys);
        List<Result> results = new ArrayList<>();
        try (GroupProgress progress = new GroupProgress(fleet.bootstrap())) {
            for (Group g : List.of(FaultSteps.PROCESSOR, FaultSteps.CEP, FaultSteps.SESSIONS)) {
                if (!services.contains(g.part())) {
                    continue;
                }
                long t0 = System.currentTimeMillis();
                boolean caughtUp = progress.awaitCaughtUp(g.group(), g.inputs(), Duration.ofMinutes(10));
                out.printf("%s %s the %d seeded events in %.1f s more%n", g.part(), caughtUp ? "caught up with"
                        : "did NOT catch up with", seeded, (System.currentTimeMillis() - t0) / 1e3);
            }
            out.println("round,service,kind,ready_ms,processing_ms,restored_records,restore_max_ms,wiped,"
                    + "alert_after_ready_ms,load");
            for (int round = 1; round <= rounds; round++) {
                for (String service : services) {
                    for (String kind : List.of("sigkill", "graceful")) {
                        Result r = kind.equals("sigkill") ? kill(progress, service, round)
                                : graceful(progress, service, round);
                        results.add(r);
                        out.printf(Locale.ROOT, "%d,%s,%s,%d,%d,%d,%d,%s,%d,%s%n", r.round(), r.service(), r.kind(),
                                r.readyMs(), r.processingMs(), r.restoredRecords(), r.restoreMaxMs(), r.wiped(),
                                r.alertAfterReadyMs(), r.load());
                        Thread.sleep(5_000);
                    }
                }
            }
        }
        Thread.sleep(10_000); // late duplicates would arrive by now
        summary(results, services);
        sse.close();
    }

    /**
     * SIGKILL, then started again at once. While the service is down an order episode is posted (not for
     * session-analytics, which order alerts do not pass): its alert must reach the SSE stream after the restart.
     */
    private Result kill(GroupProgress progress, String service, int round) throws Exception {
        Group g = service.equals("alert-api") ? null : group(service);
        long logFrom = logSize(service);
        String load = load();
        long killed = System.currentTimeMillis();
        fleet.kill(service);
        Map<TopicPartition, Long> baseline = g == null ? null : progress.committed(g.group(), g.inputs());
        String episode = service.equals("session-analytics") ? null : postEpisode(service + "-" + round);
        fleet.restart(service);
        long ready = System.currentTimeMillis();
        long alert = episode == null ? -1 : awaitAlert(episode, Duration.ofSeconds(120));
        // alert-api: processing again = the first alert served on SSE after the restart
        long processing = g == null ? alert : progress.awaitAdvance(g.group(), g.inputs(), baseline, PROGRESS_WAIT);
        // an alert may come before the readiness poll (every 100 ms) saw UP: that counts as at once
        return result(round, service, "sigkill", killed, ready, processing, logFrom,
                alert < 0 ? -1 : Math.max(0, alert - ready), episode, load);
    }

    private Result graceful(GroupProgress progress, String service, int round) throws Exception {
        Group g = service.equals("alert-api") ? null : group(service);
        String load = load();
        fleet.stop(service);
        long logFrom = logSize(service);
        long started = System.currentTimeMillis();
        Map<TopicPartition, Long> baseline = g == null ? null : progress.committed(g.group(), g.inputs());
        fleet.restart(service);
        long ready = System.currentTimeMillis();
        long processing = ready;
        if (g != null) {
            processing = progress.awaitAdvance(g.group(), g.inputs(), baseline, PROGRESS_WAIT);
        }
        return result(round, service, "graceful", started, ready, processing, logFrom, -1, null, load);
    }

    /** A burst/cancel episode of its own account ({@link BurstEpisode}), in one request; returns its alert key. */
    private String postEpisode(String tag) throws Exception {
        String account = "rb-" + run + "-ep-" + tag;
        post("/v1/orders", BurstEpisode.ordersJson(account, "EP", System.currentTimeMillis()));
        return account + "|EP";
    }

    /** Arrival time of the first alert for {@code key} on the SSE stream, or -1 after {@code timeout}. */
    private long awaitAlert(String key, Duration timeout) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            long first = sse.alerts().stream().filter(a -> a.key().equals(key))
                    .mapToLong(ReceivedAlert::arrivalMs).min().orElse(-1);
            if (first > 0) {
                return first;
            }
            Thread.sleep(50);
        }
        return -1;
    }

    private Result result(int round, String service, String kind, long from, long ready, long processing,
                          long logFrom, long alertAfterReadyMs, String episode, String load) throws IOException {
        long restored = 0;
        long restoreMax = 0;
        boolean wiped = false;
        for (String line : logSince(service, logFrom)) {
            Matcher m = RESTORED.matcher(line);
            if (m.find()) {
                restored += Long.parseLong(m.group(1));
                restoreMax = Math.max(restoreMax, Long.parseLong(m.group(3)));
            }
            wiped |= line.contains("did not shut down cleanly: wiping its local state");
        }
        return new Result(round, service, kind, ready - from, processing < 0 ? -1 : processing - from, restored,
                restoreMax, wiped, alertAfterReadyMs, episode, load);
    }

    /** Posts {@code keys} orders and {@code keys} engagement events in batches, four requests at a time. */
    private long seed(int keys) throws Exception {
        long t0 = System.currentTimeMillis();
        AtomicLong posted = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int from = 0; from < keys; from += BATCH) {
                int start = from;
                int end = Math.min(keys, from + BATCH);
                jobs.add(pool.submit(() -> {
                    post("/v1/orders", orders(start, end));
                    post("/v1/engagement", engagement(start, end));
                    long done = posted.addAndGet(2L * (end - start));
                    if (done % 100_000 < 2L * BATCH) {
                        out.printf("  seeded %d events%n", done);
                    }
                    return null;
                }));
            }
            for (Future<?> job : jobs) {
                job.get();
            }
        } finally {
            pool.shutdown();
        }
        out.printf("seeded %d events through the gateway in %.1f s%n", posted.get(),
                (System.currentTimeMillis() - t0) / 1e3);
        return posted.get();
    }

    private String orders(int from, int to) {
        long now = System.currentTimeMillis();
        return jsonArray(from, to, i -> String.format(Locale.ROOT,
                "{\"eventId\":\"rb-%s-o-%d\",\"accountId\":\"rb-%s-a-%d\",\"symbol\":\"S%d\",\"eventType\":"
                        + "\"CREATED\",\"price\":%d.5,\"qty\":10,\"eventTimeMs\":%d}",
                run, i, run, i, i % 50, 100 + i % 7, now));
    }

    private String engagement(int from, int to) {
        long now = System.currentTimeMillis();
        return jsonArray(from, to, i -> String.format(Locale.ROOT,
                "{\"eventId\":\"rb-%s-e-%d\",\"userId\":\"rb-%s-u-%d\",\"contentId\":\"c-%d\",\"eventType\":"
                        + "\"view_start\",\"eventTimeMs\":%d}", run, i, run, i, i % 100, now));
    }

    private static String jsonArray(int from, int to, java.util.function.IntFunction<String> element) {
        StringBuilder json = new StringBuilder("[");
        for (int i = from; i < to; i++) {
            json.append(i == from ? "" : ",").append(element.apply(i));
        }
        return json.append(']').toString();
    }

    private void post(String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(fleet.gatewayUrl() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + fleet.apiKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 202 || response.statusCode() == 200) {
                return;
            }
            if (attempt == 5 || response.statusCode() < 500) {
                throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            Thread.sleep(1_000L * attempt);
        }
    }

    private static Group group(String service) {
        return switch (service) {
            case "stream-processor" -> FaultSteps.PROCESSOR;
            case "cep-detector" -> FaultSteps.CEP;
            case "session-analytics" -> FaultSteps.SESSIONS;
            default -> throw new IllegalArgumentException("cannot time " + service
                    + " (stream-processor, cep-detector, session-analytics or alert-api)");
        };
    }

    private void summary(List<Result> results, List<String> services) {
        out.println();
        out.println("episodes posted while a service was down: alerts on SSE (distinct alert ids / deliveries)");
        for (Result r : results) {
            if (r.episode() != null) {
                List<ReceivedAlert> got = sse.alerts().stream().filter(a -> a.key().equals(r.episode())).toList();
                out.printf(Locale.ROOT, "  round %d %-18s %d / %d%s%n", r.round(), r.service(),
                        got.stream().map(ReceivedAlert::alertId).distinct().count(), got.size(),
                        got.size() == 1 ? "" : "   <-- not exactly once");
            }
        }
        out.println();
        out.println("median over rounds (s): service, kind, ready, processing, restored records");
        for (String service : services) {
            for (String kind : List.of("sigkill", "graceful")) {
                List<Result> rs = results.stream().filter(r -> r.service().equals(service) && r.kind().equals(kind))
                        .toList();
                out.printf(Locale.ROOT, "  %-18s %-8s ready %5.1f  processing %5.1f  restored %d  alert after ready"
                                + " %5.1f%n", service, kind,
                        median(rs.stream().mapToLong(Result::readyMs).toArray()) / 1e3,
                        median(rs.stream().mapToLong(Result::processingMs).toArray()) / 1e3,
                        (long) median(rs.stream().mapToLong(Result::restoredRecords).toArray()),
                        median(rs.stream().mapToLong(Result::alertAfterReadyMs).filter(v -> v >= 0).toArray()) / 1e3);
            }
        }
    }

    private static double median(long[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    private long logSize(String part) throws IOException {
        Path log = fleet.logs().resolve(part + ".log");
        return Files.exists(log) ? Files.size(log) : 0;
    }

    private List<String> logSince(String part, long offset) throws IOException {
        Path log = fleet.logs().resolve(part + ".log");
        byte[] all = Files.readAllBytes(log);
        return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
                StandardCharsets.ISO_8859_1).lines().toList();
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }
}

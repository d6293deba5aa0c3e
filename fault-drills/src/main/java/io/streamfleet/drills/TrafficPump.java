package io.streamfleet.drills;

import io.streamfleet.bench.driver.WireJson;
import io.streamfleet.bench.scenario.BenchEvent;
import io.streamfleet.bench.scenario.Scenario;
import io.streamfleet.contracts.json.ContractMapper;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends a scenario to the gateway in JSON-array batches at the scenario's schedule, like a careful client: an event
 * counts as acknowledged only when the gateway's per-index result says {@code accepted} in a 2xx answer (which the
 * gateway gives only after the Kafka ack); every other outcome (503 while Kafka is down, 429, errors) is retried with
 * the same eventId after the advised delay. The first ack time of every eventId is recorded for the audit.
 */
public final class TrafficPump implements AutoCloseable {

    private static final int MAX_BATCH = 200;
    private static final int MAX_IN_FLIGHT = 8;
    /**
     * A batch that is not full waits this long for more events: at 2 000 events/s that is ~40 events a request
     * instead of one request per event or two, which would spend the gateway's CPU on HTTP rather than on events.
     */
    private static final long BATCH_TICK_MS = 20;

    /** What the pump knows of one eventId. */
    public static final class Sent {
        final BenchEvent event;
        final long dueMs;
        volatile long ackMs;
        volatile int attempts;

        Sent(BenchEvent event, long dueMs) {
            this.event = event;
            this.dueMs = dueMs;
        }

        public BenchEvent event() {
            return event;
        }

        public long dueMs() {
            return dueMs;
        }

        public long ackMs() {
            return ackMs;
        }

        public boolean acked() {
            return ackMs > 0;
        }

        public int attempts() {
            return attempts;
        }
    }

    private record Retry(BenchEvent event, long notBeforeMs) {
    }

    private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "drill-http");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(executor).connectTimeout(Duration.ofSeconds(2)).build();
    private final URI uri;
    private final String authorization;
    private final Map<String, Sent> sent = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Retry> retries = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final AtomicLong lastFailureMs = new AtomicLong();
    private final AtomicLong firstAckAfterFailureMs = new AtomicLong();
    private final AtomicLong resent = new AtomicLong();
    /** Wall time of every answer that acknowledged at least one event, in order (a few per second). */
    private final ConcurrentLinkedQueue<Long> ackTimes = new ConcurrentLinkedQueue<>();
    private volatile Thread thread;
    private volatile RuntimeException failure;

    public TrafficPump(String gatewayUrl, String apiKey) {
        this.uri = URI.create(gatewayUrl + "/v1/events");
        this.authorization = "Bearer " + apiKey;
    }

    /** Starts sending in the background; the scenario's {@code startMs} is the wall time of offset 0. */
    public void start(Scenario scenario, Duration retryFor) {
        thread = new Thread(() -> {
            try {
                pump(scenario, retryFor);
            } catch (RuntimeException e) {
                failure = e;
            }
        }, "drill-pump");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits until the schedule is sent and every retry finished (or gave up). */
    public void await(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
        if (thread.isAlive()) {
            throw new IllegalStateException("traffic did not finish within " + timeout);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void pump(Scenario scenario, Duration retryFor) {
        long t0 = scenario.settings().startMs();
        Iterator<BenchEvent> events = scenario.iterator();
        BenchEvent next = events.hasNext() ? events.next() : null;
        while (next != null) {
            long now = System.currentTimeMillis();
            List<BenchEvent> batch = new ArrayList<>();
            while (next != null && batch.size() < MAX_BATCH
                    && t0 + TimeUnit.NANOSECONDS.toMillis(next.sendOffsetNanos()) <= now) {
                long due = t0 + TimeUnit.NANOSECONDS.toMillis(next.sendOffsetNanos());
                sent.putIfAbsent(next.eventId(), new Sent(next, due));
                batch.add(next);
                next = events.hasNext() ? events.next() : null;
            }
            batch.addAll(dueRetries(now, MAX_BATCH));
            if (!batch.isEmpty()) {
                send(batch);
            }
            if (next != null && batch.size() < MAX_BATCH) {
                long untilNext = t0 + TimeUnit.NANOSECONDS.toMillis(next.sendOffsetNanos()) - now;
                Sleep.ms(batch.isEmpty() ? Math.min(BATCH_TICK_MS, untilNext) : BATCH_TICK_MS);
            }
        }
        long giveUp = System.currentTimeMillis() + retryFor.toMillis();
        while (System.currentTimeMillis() < giveUp && (!retries.isEmpty() || inFlight.availablePermits() < MAX_IN_FLIGHT)) {
            List<BenchEvent> batch = dueRetries(System.currentTimeMillis(), MAX_BATCH);
            if (batch.isEmpty()) {
                Sleep.ms(20);
            } else {
                send(batch);
            }
        }
        inFlight.acquireUninterruptibly(MAX_IN_FLIGHT);
        inFlight.release(MAX_IN_FLIGHT);
    }

    private List<BenchEvent> dueRetries(long now, int max) {
        List<BenchEvent> due = new ArrayList<>();
        int n = retries.size();
        for (int i = 0; i < n && due.size() < max; i++) {
            Retry r = retries.poll();
            if (r == null) {
                break;
            }
            if (r.notBeforeMs() <= now) {
                due.add(r.event());
            } else {
                retries.add(r);
            }
        }
        return due;
    }

    /** Sends events again with their eventIds (duplicates on purpose: the pipeline must drop them). */
    public void resend(List<BenchEvent> events) {
        for (int i = 0; i < events.size(); i += MAX_BATCH) {
            List<BenchEvent> batch = events.subList(i, Math.min(events.size(), i + MAX_BATCH));
            resent.addAndGet(batch.size());
            send(batch);
        }
        inFlight.acquireUninterruptibly(MAX_IN_FLIGHT);
        inFlight.release(MAX_IN_FLIGHT);
    }

    private void send(List<BenchEvent> batch) {
        inFlight.acquireUninterruptibly();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15))
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(WireJson.array(batch))).build();
        batch.forEach(e -> sent.computeIfPresent(e.eventId(), (k, s) -> {
            s.attempts++;
            return s;
        }));
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, error) -> {
                    try {
                        if (error != null) {
                            count("error:" + error.getClass().getSimpleName());
                            failed(batch, 1_000);
                        } else {
                            handle(batch, response);
                        }
                    } finally {
                        inFlight.release();
                    }
                });
    }

    private void handle(List<BenchEvent> batch, HttpResponse<String> response) {
        int status = response.statusCode();
        count(Integer.toString(status));
        long retryAfterMs = response.headers().firstValue("Retry-After")
                .map(v -> parseSeconds(v) * 1_000).orElse(1_000L);
        if (status / 100 != 2) {
            failed(batch, retryAfterMs);
            return;
        }
        long now = System.currentTimeMillis();
        JsonNode results = ContractMapper.shared().readTree(response.body()).path("results");
        List<BenchEvent> notAccepted = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            JsonNode entry = results.path(i);
            BenchEvent event = batch.get(i);
            if ("accepted".equals(entry.path("status").asString("")) && event.eventId().equals(entry.path("eventId").asString(""))) {
                Sent s = sent.get(event.eventId());
                if (s != null && s.ackMs == 0) {
                    s.ackMs = now;
                }
            } else {
                notAccepted.add(event);
            }
        }
        if (notAccepted.size() < batch.size()) {
            ackTimes.add(now);
            if (lastFailureMs.get() > 0 && firstAckAfterFailureMs.get() < lastFailureMs.get()) {
                firstAckAfterFailureMs.set(now);
            }
        }
        failed(notAccepted, retryAfterMs);
    }

    private static long parseSeconds(String value) {
        try {
            return Math.max(1, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private void failed(List<BenchEvent> events, long retryAfterMs) {
        if (events.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        lastFailureMs.set(now);
        for (BenchEvent e : events) {
            Sent s = sent.get(e.eventId());
            if (s != null && !s.acked()) {
                retries.add(new Retry(e, now + retryAfterMs));
            }
        }
    }

    private void count(String outcome) {
        outcomes.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
    }

    /** eventId → what was sent and when it was acknowledged. */
    public Map<String, Sent> sent() {
        return Map.copyOf(sent);
    }

    /** Response status (or error) → number of requests. */
    public Map<String, Long> outcomes() {
        Map<String, Long> copy = new java.util.TreeMap<>();
        outcomes.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    /** Wall time of the first acknowledged event after the last failed request, or 0. */
    public long firstAckAfterFailureMs() {
        return firstAckAfterFailureMs.get();
    }

    /** Wall time of the first answer at or after {@code sinceMs} that acknowledged an event, or -1. */
    public long firstAckSince(long sinceMs) {
        for (long t : ackTimes) {
            if (t >= sinceMs) {
                return t;
            }
        }
        return -1;
    }

    public long resentEvents() {
        return resent.get();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}

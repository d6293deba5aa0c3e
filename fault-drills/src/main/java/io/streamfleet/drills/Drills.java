package io.streamfleet.drills;

import io.streamfleet.bench.scenario.BenchEvent;
import org.apache.kafka.common.TopicPartition;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The five fault drills. Each runs its own labelled traffic (its own run id, so drills never share keys or ids) on
 * the same fleet, injects its faults at seeded random points and returns the audit. A drill leaves the fleet as it
 * found it: every part it killed or stopped runs again when it returns.
 */
public final class Drills {

    /** Streams service → its consumer group (application id) and input topics. */
    record Group(String part, String group, List<String> inputs) {
    }

    static final Group PROCESSOR = new Group("stream-processor", "streamfleet-stream-processor",
            List.of("orders.raw", "engagement.raw"));
    static final Group CEP = new Group("cep-detector", "streamfleet-cep-detector", List.of("orders.clean"));
    static final Group SESSIONS = new Group("session-analytics", "streamfleet-session-analytics",
            List.of("engagement.clean"));
    static final Group WEBHOOKS = new Group("alert-api", "alert-api-webhooks", DrillRun.ALERT_TOPICS);
    private static final Duration PROGRESS_WAIT = Duration.ofSeconds(120);

    private final DrillFleet fleet;
    private final DrillPlan plan;
    private final PrintStream log;
    private final long seed;

    public Drills(DrillFleet fleet, DrillPlan plan, long seed, PrintStream log) {
        this.fleet = fleet;
        this.plan = plan;
        this.seed = seed;
        this.log = log;
    }

    /** Drill 1: SIGKILL of each Streams service at random points (several times in the full plan), restarted. */
    public DrillResult streamsCrash() throws Exception {
        // restarts take about a minute on a loaded 2-core machine: keep traffic flowing through every kill
        Duration traffic = plan.duration().compareTo(Duration.ofSeconds(75L * plan.killsPerService() + 30)) > 0
                ? plan.duration() : Duration.ofSeconds(75L * plan.killsPerService() + 30);
        try (DrillRun run = new DrillRun("streams-crash", fleet, plan, traffic, seed + 1, true, log);
             GroupProgress progress = new GroupProgress(fleet.bootstrap())) {
            run.startTraffic();
            SplittableRandom rng = new SplittableRandom(seed + 11);
            List<Thread> killers = new ArrayList<>();
            for (Group g : List.of(PROCESSOR, CEP, SESSIONS)) {
                long[] at = killTimes(rng.split(), run.durationMs());
                killers.add(start(() -> {
                    for (long offset : at) {
                        Sleep.ms(run.t0() + offset - System.currentTimeMillis());
                        killAndRestart(run, progress, g, g.part());
                        if (g == PROCESSOR) {
                            resendAcked(run, 150);
                        }
                    }
                }));
            }
            for (Thread t : killers) {
                t.join();
            }
            return run.finish();
        }
    }

    private long[] killTimes(SplittableRandom rng, long durationMs) {
        int k = plan.killsPerService();
        long first = 5_000;
        long slot = Math.max(1_000, (durationMs - first - 30_000) / k);
        long[] at = new long[k];
        for (int i = 0; i < k; i++) {
            at[i] = first + i * slot + rng.nextLong(slot / 2);
        }
        return at;
    }

    private void killAndRestart(DrillRun run, GroupProgress progress, Group g, String part) {
        long killed = System.currentTimeMillis();
        fleet.kill(part);
        // read after the kill: a dead instance commits nothing more, so any advance is the successor's
        Map<TopicPartition, Long> baseline = baseline(progress, g);
        run.fault("SIGKILL " + part);
        fleet.restart(part);
        long ready = System.currentTimeMillis();
        run.fault(part + " restarted and ready");
        long processing = progress.awaitAdvance(g.group(), g.inputs(), baseline, PROGRESS_WAIT);
        run.recovery("SIGKILL " + part, ready - killed, processing < 0 ? -1 : processing - killed);
    }

    private Map<TopicPartition, Long> baseline(GroupProgress progress, Group g) {
        Map<TopicPartition, Long> committed = progress.committed(g.group(), g.inputs());
        Map<TopicPartition, Long> baseline = new HashMap<>();
        new TopicAudit(fleet.bootstrap()).endOffsets(g.inputs()).keySet()
                .forEach(tp -> baseline.put(tp, committed.getOrDefault(tp, 0L)));
        return baseline;
    }

    /** Sends again up to {@code max} orders the gateway acknowledged earlier: dedup state must still drop them. */
    private void resendAcked(DrillRun run, int max) {
        List<BenchEvent> again = new ArrayList<>();
        for (TrafficPump.Sent s : run.pump().sent().values()) {
            if (s.acked() && s.event().isOrder() && again.size() < max) {
                again.add(s.event());
            }
        }
        run.pump().resend(again);
        run.fault("re-sent " + again.size() + " acknowledged orders (same eventIds)");
    }

    /** Drill 2: the broker stopped and started again while the gateway is under load. */
    public DrillResult brokerRestart() throws Exception {
        try (DrillRun run = new DrillRun("broker-restart", fleet, plan, seed + 2, false, log);
             GroupProgress progress = new GroupProgress(fleet.bootstrap())) {
            run.startTraffic();
            SplittableRandom rng = new SplittableRandom(seed + 22);
            long window = Math.max(1, run.durationMs() - plan.outage().toMillis() - 20_000);
            Sleep.ms(run.t0() + 8_000 + rng.nextLong(window) - System.currentTimeMillis());
            brokerOutage(run, progress, () -> { });
            return run.finish();
        }
    }

    private static long awaitAck(DrillRun run, long after) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            long first = run.pump().sent().values().stream().mapToLong(TrafficPump.Sent::ackMs)
                    .filter(t -> t >= after).min().orElse(-1);
            if (first > 0) {
                return first;
            }
            Sleep.ms(100);
        }
        return -1;
    }

    private void checkAllRunning(DrillRun run, String when) {
        for (String part : List.of("ingest-gateway", "stream-processor", "cep-detector", "session-analytics",
                "alert-api")) {
            if (!fleet.isRunning(part)) {
                run.problem(part + " exited " + when + "; restarted by the drill");
                fleet.restart(part);
            }
        }
    }

    /** Drill 3: alert-api SIGKILLed while a webhook delivery waits for a retry and an SSE stream is open. */
    public DrillResult alertApiCrash() throws Exception {
        try (DrillRun run = new DrillRun("alert-api-crash", fleet, plan, seed + 3, false, log);
             GroupProgress progress = new GroupProgress(fleet.bootstrap())) {
            WebhookReceiver steady = run.receiver("steady", WebhookReceiver.Mode.OK, "2xx throughout");
            WebhookReceiver flaky = run.receiver("flaky", WebhookReceiver.Mode.FAIL_500,
                    "500 until alert-api is back");
            run.startTraffic();
            long deadline = run.t0() + run.durationMs() - 10_000;
            while (System.currentTimeMillis() < deadline && !(failedOnce(flaky, run) && sawAlert(run))) {
                Sleep.ms(100);
            }
            Sleep.ms(new SplittableRandom(seed + 33).nextLong(1_500));
            long killed = System.currentTimeMillis();
            fleet.kill("alert-api");
            Map<TopicPartition, Long> base = baseline(progress, WEBHOOKS);
            run.fault("SIGKILL alert-api (webhook retries pending: " + failedOnce(flaky, run) + ", SSE alerts so far: "
                    + run.sse().alerts().size() + ")");
            fleet.restart("alert-api");
            long ready = System.currentTimeMillis();
            run.fault("alert-api restarted and ready");
            run.heal(flaky);
            long processing = progress.awaitAdvance(WEBHOOKS.group(), WEBHOOKS.inputs(), base, PROGRESS_WAIT);
            run.recovery("SIGKILL alert-api (webhook dispatcher commits again)", ready - killed,
                    processing < 0 ? -1 : processing - killed);
            long sseBack = awaitSse(run, ready);
            run.recovery("SIGKILL alert-api (SSE alert after resume)", ready - killed,
                    sseBack < 0 ? -1 : sseBack - killed);
            if (run.sse().reconnects() == 0) {
                run.problem("the SSE stream never reconnected, so resume was not exercised");
            }
            return run.finish();
        }
    }

    private static boolean failedOnce(WebhookReceiver r, DrillRun run) {
        return r.requests().stream().anyMatch(q -> q.answered() >= 500);
    }

    private static boolean sawAlert(DrillRun run) {
        return run.sse().alerts().stream().anyMatch(a -> a.key().contains(run.runId()));
    }

    private static long awaitSse(DrillRun run, long after) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            long first = run.sse().alerts().stream().mapToLong(a -> a.arrivalMs()).filter(t -> t >= after).min()
                    .orElse(-1);
            if (first > 0) {
                return first;
            }
            Sleep.ms(100);
        }
        return -1;
    }

    /** Drill 4: webhook endpoints down, slow, answering 500 or 429 for a while, then healthy again. */
    public DrillResult endpointOutage() throws Exception {
        try (DrillRun run = new DrillRun("endpoint-outage", fleet, plan, seed + 4, false, log)) {
            WebhookReceiver steady = run.receiver("steady", WebhookReceiver.Mode.OK, "2xx throughout");
            List<WebhookReceiver> bad = List.of(
                    run.receiver("down", WebhookReceiver.Mode.OK, "no listener during the outage"),
                    run.receiver("slow", WebhookReceiver.Mode.OK, "answers after 3 s (timeout 2 s) during the outage"),
                    run.receiver("err500", WebhookReceiver.Mode.OK, "500 during the outage"),
                    run.receiver("throttle", WebhookReceiver.Mode.OK, "429 Retry-After: 2 during the outage"));
            run.startTraffic();
            // the outage starts with the first alert of the run, so alerts keep arriving while it lasts
            long deadline = run.t0() + run.durationMs() / 2;
            while (steady.delivered().isEmpty() && System.currentTimeMillis() < deadline) {
                Sleep.ms(50);
            }
            List<WebhookReceiver.Mode> modes = List.of(WebhookReceiver.Mode.DOWN, WebhookReceiver.Mode.SLOW,
                    WebhookReceiver.Mode.FAIL_500, WebhookReceiver.Mode.THROTTLE_429);
            for (int i = 0; i < bad.size(); i++) {
                bad.get(i).mode(modes.get(i));
            }
            run.fault("endpoints down / slow / 500 / 429 for " + plan.outage().toSeconds() + " s");
            Sleep.ms(plan.outage().toMillis());
            bad.forEach(run::heal);
            return run.finish();
        }
    }

    /** Drill 5: two instances of stream-processor and of cep-detector; the one holding the state is SIGKILLed. */
    public DrillResult rebalance() throws Exception {
        fleet.addInstance("stream-processor", "stream-processor-b");
        fleet.addInstance("cep-detector", "cep-detector-b");
        try (DrillRun run = new DrillRun("rebalance", fleet, plan, seed + 5, true, log);
             GroupProgress progress = new GroupProgress(fleet.bootstrap())) {
            run.fault("second instances stream-processor-b and cep-detector-b ready");
            run.startTraffic();
            SplittableRandom rng = new SplittableRandom(seed + 55);
            Sleep.ms(run.t0() + 6_000 + rng.nextLong(Math.max(1, run.durationMs() / 3)) - System.currentTimeMillis());
            long killed = System.currentTimeMillis();
            for (Group g : List.of(PROCESSOR, CEP)) {
                fleet.kill(g.part());
                run.fault("SIGKILL " + g.part() + " (its twin keeps running)");
            }
            Map<Group, Map<TopicPartition, Long>> bases = new HashMap<>();
            for (Group g : List.of(PROCESSOR, CEP)) {
                bases.put(g, baseline(progress, g));
            }
            resendAcked(run, 300);
            for (Group g : List.of(PROCESSOR, CEP)) {
                long processing = progress.awaitAdvance(g.group(), g.inputs(), bases.get(g), PROGRESS_WAIT);
                run.recovery("SIGKILL " + g.part() + " of two: every partition committed again", -1,
                        processing < 0 ? -1 : processing - killed);
            }
            resendAcked(run, 300);
            return run.finish();
        } finally {
            fleet.restart("stream-processor");
            fleet.restart("cep-detector");
            fleet.remove("stream-processor-b");
            fleet.remove("cep-detector-b");
        }
    }

    /**
     * Short variant of drills 4 and 2 in one run: webhook endpoints go down, slow, 500 and 429 at the first alert
     * for the outage time; right after they heal the broker is stopped under load and started again.
     */
    public DrillResult brokerAndEndpoints() throws Exception {
        try (DrillRun run = new DrillRun("broker-and-endpoints", fleet, plan, seed + 6, false, log);
             GroupProgress progress = new GroupProgress(fleet.bootstrap())) {
            WebhookReceiver steady = run.receiver("steady", WebhookReceiver.Mode.OK, "2xx throughout");
            List<WebhookReceiver> bad = List.of(
                    run.receiver("down", WebhookReceiver.Mode.OK, "no listener during the outage"),
                    run.receiver("slow", WebhookReceiver.Mode.OK, "answers after 3 s (timeout 2 s) during the outage"),
                    run.receiver("err500", WebhookReceiver.Mode.OK, "500 during the outage"),
                    run.receiver("throttle", WebhookReceiver.Mode.OK, "429 Retry-After: 2 during the outage"));
            run.startTraffic();
            long deadline = run.t0() + run.durationMs() / 3;
            while (steady.delivered().isEmpty() && System.currentTimeMillis() < deadline) {
                Sleep.ms(50);
            }
            List<WebhookReceiver.Mode> modes = List.of(WebhookReceiver.Mode.DOWN, WebhookReceiver.Mode.SLOW,
                    WebhookReceiver.Mode.FAIL_500, WebhookReceiver.Mode.THROTTLE_429);
            for (int i = 0; i < bad.size(); i++) {
                bad.get(i).mode(modes.get(i));
            }
            run.fault("endpoints down / slow / 500 / 429");
            Sleep.ms(plan.outage().toMillis());
            bad.forEach(run::heal);
            // no alert flows while the broker is down, so the endpoints misbehave before it goes
            Sleep.ms(new SplittableRandom(seed + 66).nextLong(2_000));
            brokerOutage(run, progress, () -> { });
            return run.finish();
        }
    }

    private void brokerOutage(DrillRun run, GroupProgress progress, Runnable whenBrokerBack) {
        // the last offsets readable before the broker went away are the baseline (read until it refuses)
        Map<Group, Map<TopicPartition, Long>> bases = new java.util.concurrent.ConcurrentHashMap<>();
        bases.put(PROCESSOR, baseline(progress, PROCESSOR));
        bases.put(CEP, baseline(progress, CEP));
        java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
        Thread tracker = start(() -> {
            while (!stopped.get()) {
                for (Group g : List.of(PROCESSOR, CEP)) {
                    Map<TopicPartition, Long> now = progress.tryCommitted(g.group(), g.inputs());
                    if (now != null && !stopped.get()) {
                        Map<TopicPartition, Long> merged = new HashMap<>(bases.get(g));
                        now.forEach((tp, o) -> merged.merge(tp, o, Math::max));
                        bases.put(g, merged);
                    }
                }
                Sleep.ms(100);
            }
        });
        long stopping = System.currentTimeMillis();
        boolean graceful = fleet.stopBroker();
        stopped.set(true);
        Map<TopicPartition, Long> processorBase = bases.get(PROCESSOR);
        Map<TopicPartition, Long> cepBase = bases.get(CEP);
        run.fault("broker stopped (" + (graceful ? "graceful" : "killed after timeout") + ", took "
                + (System.currentTimeMillis() - stopping) + " ms)");
        Sleep.ms(plan.outage().toMillis());
        long starting = System.currentTimeMillis();
        fleet.startBroker();
        long brokerUp = System.currentTimeMillis();
        run.fault("broker started again (ready after " + (brokerUp - starting) + " ms)");
        whenBrokerBack.run();
        long gatewayBack = awaitAck(run, starting);
        run.recovery("broker restart: gateway acks again", brokerUp - starting,
                gatewayBack < 0 ? -1 : gatewayBack - starting);
        long processor = progress.awaitAdvance(PROCESSOR.group(), PROCESSOR.inputs(), processorBase, PROGRESS_WAIT);
        run.recovery("broker restart: stream-processor commits again", brokerUp - starting,
                processor < 0 ? -1 : processor - starting);
        long cep = progress.awaitAdvance(CEP.group(), CEP.inputs(), cepBase, PROGRESS_WAIT);
        run.recovery("broker restart: cep-detector commits again", brokerUp - starting,
                cep < 0 ? -1 : cep - starting);
        checkAllRunning(run, "after the broker restart");
    }

    /**
     * Short variant of drills 1, 3 and 5 in one round of restarts: with a webhook delivery waiting for a retry and
     * an SSE stream open, SIGKILL at once one of two stream-processor instances (its twin must take over its tasks
     * and state), cep-detector, session-analytics and alert-api; restart them all.
     */
    public DrillResult crashEverything() throws Exception {
        if (!fleet.hasInstance("stream-processor-b")) {
            fleet.addInstance("stream-processor", "stream-processor-b");
        }
        try (DrillRun run = new DrillRun("crash-everything", fleet, plan, seed + 7, true, log);
             GroupProgress progress = new GroupProgress(fleet.bootstrap())) {
            WebhookReceiver flaky = run.receiver("flaky", WebhookReceiver.Mode.FAIL_500, "500 until alert-api is back");
            run.receiver("steady", WebhookReceiver.Mode.OK, "2xx throughout");
            run.startTraffic();
            long deadline = run.t0() + run.durationMs() / 2;
            while (System.currentTimeMillis() < deadline && !(failedOnce(flaky, run) && sawAlert(run))) {
                Sleep.ms(100);
            }
            Sleep.ms(new SplittableRandom(seed + 77).nextLong(1_500));
            long killed = System.currentTimeMillis();
            for (Group g : List.of(PROCESSOR, CEP, SESSIONS, WEBHOOKS)) {
                fleet.kill(g.part());
            }
            Map<Group, Map<TopicPartition, Long>> bases = new HashMap<>();
            for (Group g : List.of(PROCESSOR, CEP, SESSIONS, WEBHOOKS)) {
                bases.put(g, baseline(progress, g));
            }
            run.fault("SIGKILL stream-processor (twin stream-processor-b keeps running), cep-detector,"
                    + " session-analytics, alert-api (webhook retry pending: " + failedOnce(flaky, run) + ")");
            List<Thread> restarts = new ArrayList<>();
            for (Group g : List.of(CEP, SESSIONS, WEBHOOKS)) {
                restarts.add(start(() -> {
                    fleet.restart(g.part());
                    long ready = System.currentTimeMillis();
                    run.fault(g.part() + " restarted and ready");
                    if (g == WEBHOOKS) {
                        run.heal(flaky);
                    }
                    long processing = progress.awaitAdvance(g.group(), g.inputs(), bases.get(g), PROGRESS_WAIT);
                    run.recovery("SIGKILL " + g.part(), ready - killed, processing < 0 ? -1 : processing - killed);
                }));
            }
            long takeover = progress.awaitAdvance(PROCESSOR.group(), PROCESSOR.inputs(), bases.get(PROCESSOR),
                    PROGRESS_WAIT);
            run.recovery("SIGKILL stream-processor (1 of 2): twin committed on every partition", -1,
                    takeover < 0 ? -1 : takeover - killed);
            resendAcked(run, 300);
            for (Thread t : restarts) {
                t.join();
            }
            fleet.restart("stream-processor");
            run.fault("stream-processor restarted and ready (tasks move back)");
            resendAcked(run, 300);
            if (run.sse().reconnects() == 0) {
                run.problem("the SSE stream never reconnected, so resume was not exercised");
            }
            return run.finish();
        }
    }

    private static Thread start(Runnable body) {
        Thread t = new Thread(body, "drill-fault");
        t.setDaemon(true);
        t.start();
        return t;
    }
}

package io.streamfleet.drills;

import org.apache.kafka.common.TopicPartition;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.streamfleet.drills.FaultSteps.CEP;
import static io.streamfleet.drills.FaultSteps.PROCESSOR;
import static io.streamfleet.drills.FaultSteps.PROGRESS_WAIT;
import static io.streamfleet.drills.FaultSteps.SESSIONS;
import static io.streamfleet.drills.FaultSteps.WEBHOOKS;

/**
 * The fault drills. Each runs its own labelled traffic (its own run id, so drills never share keys or ids) on the
 * same fleet, injects its faults at seeded random points and returns the audit. A drill leaves the fleet as it
 * found it: every part it killed or stopped runs again when it returns.
 */
public final class Drills {

    private final DrillFleet fleet;
    private final DrillPlan plan;
    private final PrintStream log;
    private final long seed;
    private final FaultSteps steps;

    public Drills(DrillFleet fleet, DrillPlan plan, long seed, PrintStream log) {
        this.fleet = fleet;
        this.plan = plan;
        this.seed = seed;
        this.log = log;
        this.steps = new FaultSteps(fleet);
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
            for (FaultSteps.Group g : List.of(PROCESSOR, CEP, SESSIONS)) {
                long[] at = killTimes(rng.split(), run.durationMs());
                killers.add(start(() -> {
                    for (long offset : at) {
                        Sleep.ms(run.t0() + offset - System.currentTimeMillis());
                        steps.killAndRestart(run, progress, g, g.part());
                        if (g == PROCESSOR) {
                            steps.resendAcked(run, 150);
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

    /**
     * Drill 7: recovery times, one part at a time while traffic flows. Each Streams service is SIGKILLed and restarted
     * at once, then restarted gracefully; then alert-api the same way. Every recovery is timed ("ready again",
     * "processing again": its group committed past where it stood), and for each SIGKILL the alerts of the episodes
     * posted while the part was down are timed from its restart.
     */
    public DrillResult recovery() throws Exception {
        Duration traffic = Duration.ofSeconds(Math.max(plan.duration().toSeconds(), 240));
        try (DrillRun run = new DrillRun("recovery", fleet, plan, traffic, seed + 9, true, log);
             GroupProgress progress = new GroupProgress(fleet.bootstrap())) {
            run.receiver("steady", WebhookReceiver.Mode.OK, "2xx throughout");
            run.startTraffic();
            Sleep.ms(10_000);
            for (FaultSteps.Group g : List.of(PROCESSOR, CEP, SESSIONS, WEBHOOKS)) {
                FaultSteps.Downtime down = steps.killAndRestart(run, progress, g, g.part());
                run.watch("SIGKILL of " + g.part() + " until it was ready again", down.fromMs(), down.readyMs());
                if (g == PROCESSOR) {
                    steps.resendAcked(run, 150);
                }
                Sleep.ms(5_000);
                steps.gracefulRestart(run, progress, g);
                Sleep.ms(5_000);
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

    /**
     * Drill 2: the broker stopped and started again under load, 1.5 s after an episode's last event: the episode's
     * alert can only be decided once the broker is back, and must then come exactly once.
     */
    public DrillResult brokerRestart() throws Exception {
        try (DrillRun run = new DrillRun("broker-restart", fleet, plan, seed + 2, false, log);
             GroupProgress progress = new GroupProgress(fleet.bootstrap())) {
            run.startTraffic();
            SplittableRandom rng = new SplittableRandom(seed + 22);
            long latest = Math.max(10_000, run.durationMs() - plan.outage().toMillis() - 30_000);
            DrillRun.Episode episode = run.episode(rng, 0.05, (double) latest / run.durationMs());
            long stopAt = episode == null ? run.t0() + 8_000 + rng.nextLong(latest) : episode.lastDueMs() + 1_500;
            Sleep.ms(stopAt - System.currentTimeMillis());
            if (episode != null) {
                run.cover("the broker restart (" + episode.labelId() + " ended 1.5 s before the stop)",
                        episode.firstDueMs(), stopAt);
            }
            steps.brokerOutage(run, progress, plan.outage());
            return run.finish();
        }
    }

    /** Drill 3: alert-api SIGKILLed while a webhook delivery waits for a retry and an SSE stream is open. */
    public DrillResult alertApiCrash() throws Exception {
        try (DrillRun run = new DrillRun("alert-api-crash", fleet, plan, seed + 3, false, log);
             GroupProgress progress = new GroupProgress(fleet.bootstrap())) {
            run.receiver("steady", WebhookReceiver.Mode.OK, "2xx throughout");
            WebhookReceiver flaky = run.receiver("flaky", WebhookReceiver.Mode.FAIL_500,
                    "500 until alert-api is back");
            run.startTraffic();
            long deadline = run.t0() + run.durationMs() - 10_000;
            while (System.currentTimeMillis() < deadline && !(failedOnce(flaky) && sawAlert(run))) {
                Sleep.ms(100);
            }
            Sleep.ms(new SplittableRandom(seed + 33).nextLong(1_500));
            long killed = System.currentTimeMillis();
            fleet.kill("alert-api");
            Map<TopicPartition, Long> base = steps.baseline(progress, WEBHOOKS);
            run.fault("SIGKILL alert-api (webhook retries pending: " + failedOnce(flaky) + ", SSE alerts so far: "
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

    private static boolean failedOnce(WebhookReceiver r) {
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
            List<WebhookReceiver> bad = misbehavingEndpoints(run);
            run.startTraffic();
            // the outage starts with the first alert of the run, so alerts keep arriving while it lasts
            awaitFirstDelivery(steady, run.t0() + run.durationMs() / 2);
            misbehave(run, bad);
            return run.finish();
        }
    }

    private static List<WebhookReceiver> misbehavingEndpoints(DrillRun run) {
        return List.of(
                run.receiver("down", WebhookReceiver.Mode.OK, "no listener during the outage"),
                run.receiver("slow", WebhookReceiver.Mode.OK, "answers after 3 s (timeout 2 s) during the outage"),
                run.receiver("err500", WebhookReceiver.Mode.OK, "500 during the outage"),
                run.receiver("throttle", WebhookReceiver.Mode.OK, "429 Retry-After: 2 during the outage"));
    }

    private static void awaitFirstDelivery(WebhookReceiver steady, long deadline) {
        while (steady.delivered().isEmpty() && System.currentTimeMillis() < deadline) {
            Sleep.ms(50);
        }
    }

    private void misbehave(DrillRun run, List<WebhookReceiver> bad) {
        List<WebhookReceiver.Mode> modes = List.of(WebhookReceiver.Mode.DOWN, WebhookReceiver.Mode.SLOW,
                WebhookReceiver.Mode.FAIL_500, WebhookReceiver.Mode.THROTTLE_429);
        for (int i = 0; i < bad.size(); i++) {
            bad.get(i).mode(modes.get(i));
        }
        run.fault("endpoints down / slow / 500 / 429 for " + plan.outage().toSeconds() + " s");
        Sleep.ms(plan.outage().toMillis());
        bad.forEach(run::heal);
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
            for (FaultSteps.Group g : List.of(PROCESSOR, CEP)) {
                fleet.kill(g.part());
                run.fault("SIGKILL " + g.part() + " (its twin keeps running)");
            }
            Map<FaultSteps.Group, Map<TopicPartition, Long>> bases = new HashMap<>();
            for (FaultSteps.Group g : List.of(PROCESSOR, CEP)) {
                bases.put(g, steps.baseline(progress, g));
            }
            steps.resendAcked(run, 300);
            for (FaultSteps.Group g : List.of(PROCESSOR, CEP)) {
                long processing = progress.awaitAdvance(g.group(), g.inputs(), bases.get(g), PROGRESS_WAIT);
                run.recovery("SIGKILL " + g.part() + " of two: every partition committed again", -1,
                        processing < 0 ? -1 : processing - killed);
            }
            steps.resendAcked(run, 300);
            return run.finish();
        } finally {
            fleet.restart("stream-processor");
            fleet.restart("cep-detector");
            fleet.remove("stream-processor-b");
            fleet.remove("cep-detector-b");
        }
    }

    /**
     * Drill 6: stream-processor (every instance) SIGSTOPped for the plan's stall, starting 2 s before an episode, while
     * the gateway keeps accepting traffic; then SIGCONT. Its transaction has timed out at the broker meanwhile.
     * With {@code gatewayCrash}, later the gateway is SIGKILLed 1.5 s after another episode's last event and
     * restarted: that episode's alert waits until time moves again (the new gateway's clock marks, and the old
     * instance counted out after the silence timeout). Every episode of either stretch must alert exactly once and
     * no event acknowledged on time may be late anywhere.
     */
    public DrillResult stall(boolean gatewayCrash) throws Exception {
        try (DrillRun run = new DrillRun("stall", fleet, plan, seed + 8, true, log);
             GroupProgress progress = new GroupProgress(fleet.bootstrap())) {
            run.startTraffic();
            SplittableRandom rng = new SplittableRandom(seed + 88);
            DrillRun.Episode during = run.episode(rng, 0.1, 0.35);
            long stopAt = during == null ? run.t0() + run.durationMs() / 5 : during.firstDueMs() - 2_000;
            Sleep.ms(stopAt - System.currentTimeMillis());
            steps.stall(run, progress, PROCESSOR, plan.stall());
            if (gatewayCrash) {
                double now = (double) (System.currentTimeMillis() + 2_000 - run.t0()) / run.durationMs();
                DrillRun.Episode before = run.episode(rng, Math.max(0.55, now), 0.8);
                long killAt = before == null ? System.currentTimeMillis() + 2_000 : before.lastDueMs() + 1_500;
                Sleep.ms(killAt - System.currentTimeMillis());
                if (before != null) {
                    run.cover("the gateway's SIGKILL (" + before.labelId() + " ended 1.5 s before it)",
                            before.firstDueMs(), killAt);
                }
                steps.gatewayCrash(run);
            }
            return run.finish();
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
            List<WebhookReceiver> bad = misbehavingEndpoints(run);
            run.startTraffic();
            awaitFirstDelivery(steady, run.t0() + run.durationMs() / 3);
            misbehave(run, bad);
            // no alert flows while the broker is down, so the endpoints misbehave before it goes
            Sleep.ms(new SplittableRandom(seed + 66).nextLong(2_000));
            steps.brokerOutage(run, progress, plan.outage());
            return run.finish();
        }
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
            while (System.currentTimeMillis() < deadline && !(failedOnce(flaky) && sawAlert(run))) {
                Sleep.ms(100);
            }
            Sleep.ms(new SplittableRandom(seed + 77).nextLong(1_500));
            long killed = System.currentTimeMillis();
            List<FaultSteps.Group> all = List.of(PROCESSOR, CEP, SESSIONS, WEBHOOKS);
            all.forEach(g -> fleet.kill(g.part()));
            Map<FaultSteps.Group, Map<TopicPartition, Long>> bases = new HashMap<>();
            all.forEach(g -> bases.put(g, steps.baseline(progress, g)));
            run.fault("SIGKILL stream-processor (twin stream-processor-b keeps running), cep-detector,"
                    + " session-analytics, alert-api (webhook retry pending: " + failedOnce(flaky) + ")");
            List<Thread> restarts = new ArrayList<>();
            for (FaultSteps.Group g : List.of(CEP, SESSIONS, WEBHOOKS)) {
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
            steps.resendAcked(run, 300);
            for (Thread t : restarts) {
                t.join();
            }
            fleet.restart("stream-processor");
            run.fault("stream-processor restarted and ready (tasks move back)");
            steps.resendAcked(run, 300);
            if (run.sse().reconnects() == 0) {
                run.problem("the SSE stream never reconnected, so resume was not exercised");
            }
            return run.finish();
        }
    }

    static Thread start(Runnable body) {
        Thread t = new Thread(body, "drill-fault");
        t.setDaemon(true);
        t.start();
        return t;
    }
}

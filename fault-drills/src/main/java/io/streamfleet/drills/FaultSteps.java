package io.streamfleet.drills;

import io.streamfleet.bench.scenario.BenchEvent;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The faults the drills are made of, each injected into a running drill and followed until the fleet works again:
 * the fault and its end are logged in the drill's timeline and the recovery is measured ("ready again", "processing
 * again" = the part's group committed past where it stood on every partition that got input).
 */
final class FaultSteps {

    /** Streams service (or alert-api's webhook dispatcher) → its consumer group and input topics. */
    record Group(String part, String group, List<String> inputs) {
    }

    static final Group PROCESSOR = new Group("stream-processor", "streamfleet-stream-processor",
            List.of("orders.raw", "engagement.raw"));
    static final Group CEP = new Group("cep-detector", "streamfleet-cep-detector", List.of("orders.clean"));
    static final Group SESSIONS = new Group("session-analytics", "streamfleet-session-analytics",
            List.of("engagement.clean"));
    static final Group WEBHOOKS = new Group("alert-api", "alert-api-webhooks", DrillRun.ALERT_TOPICS);
    static final String GATEWAY = "ingest-gateway";
    static final Duration PROGRESS_WAIT = Duration.ofSeconds(120);
    private static final List<String> PARTS = List.of(GATEWAY, "stream-processor", "cep-detector",
            "session-analytics", "alert-api");

    private final DrillFleet fleet;

    FaultSteps(DrillFleet fleet) {
        this.fleet = fleet;
    }

    /** When a part went down and when it answered ready again. */
    record Downtime(long fromMs, long readyMs) {
    }

    /** SIGKILL of one instance, restarted at once; recovery until its group commits again. */
    Downtime killAndRestart(DrillRun run, GroupProgress progress, Group g, String part) {
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
        return new Downtime(killed, ready);
    }

    /**
     * A graceful restart: SIGTERM (the service closes its clients and commits), then started again. Times are from
     * the new start, so they compare with a deployment's rolling restart; the stop time is in the timeline.
     */
    void gracefulRestart(DrillRun run, GroupProgress progress, Group g) {
        long stopping = System.currentTimeMillis();
        fleet.stop(g.part());
        long started = System.currentTimeMillis();
        Map<TopicPartition, Long> baseline = baseline(progress, g);
        run.fault(String.format(java.util.Locale.ROOT, "SIGTERM %s (stopped in %.1f s), started again", g.part(),
                (started - stopping) / 1e3));
        fleet.restart(g.part());
        long ready = System.currentTimeMillis();
        long processing = progress.awaitAdvance(g.group(), g.inputs(), baseline, PROGRESS_WAIT);
        run.recovery("graceful restart of " + g.part() + " (from the new start)", ready - started,
                processing < 0 ? -1 : processing - started);
    }

    /**
     * SIGSTOP of every running instance of a Streams service for {@code length}, then SIGCONT. Traffic goes on
     * through the gateway meanwhile; the episodes posted during the stall must alert like all others.
     */
    void stall(DrillRun run, GroupProgress progress, Group g, Duration length) {
        List<String> parts = fleet.runningInstances(g.part());
        long stopped = System.currentTimeMillis();
        parts.forEach(fleet::pause);
        try {
            run.fault("SIGSTOP " + String.join(", ", parts) + " for " + length.toSeconds() + " s");
            // read while stopped: nothing can commit until SIGCONT
            Map<TopicPartition, Long> baseline = baseline(progress, g);
            Sleep.ms(stopped + length.toMillis() - System.currentTimeMillis());
            long resumed = System.currentTimeMillis();
            parts.forEach(fleet::resume);
            run.fault("SIGCONT " + String.join(", ", parts));
            run.cover("the stall of " + g.part(), stopped, resumed);
            long processing = awaitAdvanceSupervised(run, progress, g, parts, baseline);
            long ready = awaitReadiness(run, parts, resumed);
            if (ready < 0) {
                run.problem(String.join(", ", parts) + " not ready within " + PROGRESS_WAIT.toSeconds()
                        + " s of SIGCONT");
            }
            run.recovery("SIGSTOP " + g.part() + " " + length.toSeconds() + " s (times from SIGCONT)", ready,
                    processing < 0 ? -1 : processing - resumed);
        } finally {
            // a drill that fails half-way must not leave the service stopped for the drills after it
            parts.stream().filter(fleet::isPaused).forEach(fleet::resume);
        }
        checkAllRunning(run, "after the stall of " + g.part());
    }

    /**
     * {@link GroupProgress#awaitAdvance}, restarting meanwhile any of the parts that reports itself dead, as the
     * kubelet's liveness probe would; -1 when the group did not commit within the usual wait.
     */
    private long awaitAdvanceSupervised(DrillRun run, GroupProgress progress, Group g, List<String> parts,
                                        Map<TopicPartition, Long> baseline) {
        long until = System.currentTimeMillis() + PROGRESS_WAIT.toMillis();
        long processing = -1;
        while (processing < 0 && System.currentTimeMillis() < until) {
            processing = progress.awaitAdvance(g.group(), g.inputs(), baseline, Duration.ofSeconds(5));
            if (processing < 0) {
                restartIfDead(run, parts);
            }
        }
        return processing;
    }

    /**
     * Time from {@code since} until every part answers ready, or -1 (and a problem) after the wait every other
     * recovery gets: after a 20 s stall the fenced exactly-once producers make Streams close their tasks dirty, rejoin
     * and restore, which took 51–65 s on a loaded 2-core machine.
     */
    private long awaitReadiness(DrillRun run, List<String> parts, long since) {
        long deadline = System.currentTimeMillis() + PROGRESS_WAIT.toMillis();
        while (System.currentTimeMillis() < deadline) {
            if (parts.stream().allMatch(p -> "UP".equals(fleet.readiness(p)))) {
                return System.currentTimeMillis() - since;
            }
            restartIfDead(run, parts);
            Sleep.ms(250);
        }
        return -1;
    }

    /**
     * A part whose liveness is DOWN asked to be restarted (a stream thread died, e.g. its exactly-once producer hit a
     * fatal transaction error after the stall); the drill does what the kubelet would, and the timeline shows it.
     */
    private void restartIfDead(DrillRun run, List<String> parts) {
        for (String part : parts) {
            if (fleet.isRunning(part) && fleet.reportsDead(part)) {
                run.fault(part + " reported itself dead (liveness DOWN); restarted as a supervisor would");
                fleet.kill(part);
                fleet.restart(part);
                run.fault(part + " restarted and ready");
            }
        }
    }

    /**
     * SIGKILL of the gateway (so no leaving mark: its last clock mark holds the raw partitions' time until the
     * silence timeout), restarted at once; the client's refused and unanswered batches are retried.
     */
    void gatewayCrash(DrillRun run) {
        long killed = System.currentTimeMillis();
        fleet.kill(GATEWAY);
        run.fault("SIGKILL " + GATEWAY + " (no leaving mark)");
        fleet.restart(GATEWAY);
        long ready = System.currentTimeMillis();
        run.fault(GATEWAY + " restarted and ready");
        long acked = awaitAck(run, ready);
        run.recovery("SIGKILL " + GATEWAY + ": the client is acknowledged again", ready - killed,
                acked < 0 ? -1 : acked - killed);
        checkAllRunning(run, "after the gateway restart");
    }

    /** Committed offsets of the group now, 0 for partitions it never committed. */
    Map<TopicPartition, Long> baseline(GroupProgress progress, Group g) {
        Map<TopicPartition, Long> committed = progress.committed(g.group(), g.inputs());
        Map<TopicPartition, Long> baseline = new HashMap<>();
        new TopicAudit(fleet.bootstrap()).endOffsets(g.inputs()).keySet()
                .forEach(tp -> baseline.put(tp, committed.getOrDefault(tp, 0L)));
        return baseline;
    }

    /** Sends again up to {@code max} orders the gateway acknowledged earlier: dedup state must still drop them. */
    void resendAcked(DrillRun run, int max) {
        List<BenchEvent> again = new ArrayList<>();
        for (TrafficPump.Sent s : run.pump().sent().values()) {
            if (s.acked() && s.event().isOrder() && again.size() < max) {
                again.add(s.event());
            }
        }
        run.pump().resend(again);
        run.fault("re-sent " + again.size() + " acknowledged orders (same eventIds)");
    }

    /** The broker stopped (gracefully) for {@code outage} and started again; recovery of gateway and Streams stages. */
    void brokerOutage(DrillRun run, GroupProgress progress, Duration outage) {
        // the last offsets readable before the broker went away are the baseline (read until it refuses)
        Map<Group, Map<TopicPartition, Long>> bases = new ConcurrentHashMap<>();
        bases.put(PROCESSOR, baseline(progress, PROCESSOR));
        bases.put(CEP, baseline(progress, CEP));
        AtomicBoolean stopped = new AtomicBoolean();
        Drills.start(() -> {
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
        Sleep.ms(outage.toMillis());
        long starting = System.currentTimeMillis();
        fleet.startBroker();
        long brokerUp = System.currentTimeMillis();
        run.fault("broker started again (ready after " + (brokerUp - starting) + " ms)");
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

    private static long awaitAck(DrillRun run, long after) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            long first = run.pump().firstAckSince(after);
            if (first > 0) {
                return first;
            }
            Sleep.ms(100);
        }
        return -1;
    }

    void checkAllRunning(DrillRun run, String when) {
        for (String part : PARTS) {
            if (!fleet.isRunning(part)) {
                run.problem(part + " exited " + when + "; restarted by the drill");
                fleet.restart(part);
            }
        }
    }
}

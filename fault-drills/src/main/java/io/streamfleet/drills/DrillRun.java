package io.streamfleet.drills;

import io.streamfleet.bench.scenario.BenchEvent;
import io.streamfleet.bench.scenario.BurstRules;
import io.streamfleet.bench.scenario.EventTag;
import io.streamfleet.bench.scenario.Label;
import io.streamfleet.bench.scenario.Scenario;
import io.streamfleet.bench.scenario.ScenarioGenerator;
import io.streamfleet.bench.scenario.ScenarioSettings;
import io.streamfleet.bench.scenario.SessionRules;
import io.streamfleet.bench.sse.ReceivedAlert;
import io.streamfleet.bench.sse.SseSubscriber;
import io.streamfleet.contracts.alert.AlertType;
import org.apache.kafka.common.TopicPartition;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One drill's traffic and audit: a labelled scenario (benchmarks' generator, so the ground truth is known by
 * construction) sent through the gateway, an SSE stream and webhook endpoints open throughout, and at the end the
 * read_committed audit of the clean, late and alert topics against what the gateway acknowledged.
 */
final class DrillRun implements AutoCloseable {

    static final List<String> ALERT_TOPICS = List.of("alerts.anomaly", "alerts.engagement");
    /** Orders acknowledged within this of their send time cannot be late (jitter + this stays below the 3 s lateness). */
    private static final long ORDER_ON_TIME_MS = 2_000;
    private static final Duration SETTLE = Duration.ofSeconds(120);

    /**
     * A stretch of the drill (a stall, an outage, a part down) whose episodes must alert like all others; when
     * {@code required}, a stretch without any judged episode fails the drill (it would prove nothing).
     */
    private record Window(String what, long fromMs, long toMs, boolean required) {
    }

    private final String drill;
    private final PrintStream log;
    private final Scenario scenario;
    private final TopicAudit audit;
    private final Map<TopicPartition, Long> from = new HashMap<>();
    private final TrafficPump pump;
    private final SseSubscriber sse;
    private final AlertApiClient api;
    private final Map<WebhookReceiver, String> receivers = new LinkedHashMap<>();
    private final Map<WebhookReceiver, String> behaviours = new HashMap<>();
    private final Map<WebhookReceiver, Long> healedAt = new HashMap<>();
    private final Map<WebhookReceiver, Integer> deadLettered = new HashMap<>();
    private final List<String> faults = new CopyOnWriteArrayList<>();
    private final List<DrillResult.Recovery> recoveries = new CopyOnWriteArrayList<>();
    private final List<Window> windows = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final String load;

    DrillRun(String drill, DrillFleet fleet, DrillPlan plan, long seed, boolean engagement, PrintStream log)
            throws InterruptedException {
        this(drill, fleet, plan, plan.duration(), seed, engagement, log);
    }

    DrillRun(String drill, DrillFleet fleet, DrillPlan plan, Duration duration, long seed, boolean engagement,
             PrintStream log) throws InterruptedException {
        this.drill = drill;
        this.log = log;
        this.audit = new TopicAudit(fleet.bootstrap());
        List<String> topics = new ArrayList<>(TopicAudit.CLEAN);
        topics.addAll(TopicAudit.LATE);
        topics.addAll(ALERT_TOPICS);
        from.putAll(audit.endOffsets(topics));
        long durationMs = duration.toMillis();
        int speed = engagement ? (int) Math.max(1, 10_000_000L / durationMs) : 240;
        int engagementEpisodes = engagement ? plan.engagementEpisodes() : 0;
        long startMs = System.currentTimeMillis() + 2_000;
        long engagementOrigin = engagement ? fleet.engagementClocks().next(startMs, durationMs * speed) : 0;
        ScenarioSettings settings = new ScenarioSettings(seed, startMs, plan.rate(), durationMs, plan.orderKeys(),
                engagement ? 0.3 : 0, 100, speed, plan.orderEpisodes(), plan.orderEpisodes(), engagementEpisodes,
                engagementEpisodes, 300, 0.02, 0.002, BurstRules.defaults(), SessionRules.defaults(),
                engagementOrigin, ScenarioSettings.DEFAULT_WARM_UP_MS);
        this.scenario = ScenarioGenerator.generate(settings);
        this.load = String.format("%d ev/s background for %d s (%s), %d burst episodes + %d near-misses%s,"
                        + " 2 %% duplicates, 0.2 %% late", plan.rate(), duration.toSeconds(),
                engagement ? "30 % engagement" : "orders only", plan.orderEpisodes(), plan.orderEpisodes(),
                engagement ? ", " + engagementEpisodes + " engagement drops + " + engagementEpisodes + " near-misses" : "");
        this.pump = new TrafficPump(fleet.gatewayUrl(), fleet.apiKey());
        this.api = new AlertApiClient(fleet.alertApiUrl(), fleet.apiKey());
        this.sse = new SseSubscriber(fleet.alertApiUrl(), fleet.apiKey());
        if (!sse.start(Duration.ofSeconds(20))) {
            problems.add("SSE stream did not open: " + sse.lastProblem());
        }
    }

    /** A webhook endpoint subscribed to all alerts for this drill. */
    WebhookReceiver receiver(String name, WebhookReceiver.Mode mode, String behaviour) {
        WebhookReceiver r = new WebhookReceiver(drill + "-" + name, 3_000);
        receivers.put(r, api.subscribe(r));
        behaviours.put(r, behaviour);
        r.mode(mode);
        return r;
    }

    void heal(WebhookReceiver r) {
        r.mode(WebhookReceiver.Mode.OK);
        healedAt.put(r, System.currentTimeMillis());
        fault("webhook " + r.name() + " healed");
    }

    void startTraffic() {
        pump.start(scenario, Duration.ofSeconds(60));
        Sleep.ms(t0() - System.currentTimeMillis());
    }

    long t0() {
        return scenario.settings().startMs();
    }

    long durationMs() {
        return scenario.settings().durationMs();
    }

    TrafficPump pump() {
        return pump;
    }

    SseSubscriber sse() {
        return sse;
    }

    String runId() {
        return scenario.runId();
    }

    void fault(String what) {
        String line = String.format("+%.1f s %s", (System.currentTimeMillis() - t0()) / 1e3, what);
        faults.add(line);
        log.printf("[%s] %s%n", drill, line);
    }

    void recovery(String fault, long readyMs, long processingMs) {
        recoveries.add(new DrillResult.Recovery(fault, readyMs, processingMs));
        if (processingMs < 0) {
            problems.add(fault + ": no committed progress within the wait");
        }
    }

    void problem(String what) {
        problems.add(what);
    }

    /** A burst episode of the scenario and the wall times its first and last events are due. */
    record Episode(String labelId, long firstDueMs, long lastDueMs) {
    }

    /**
     * One burst episode picked at random among those that start within the given fractions of the traffic, so a
     * fault can be placed around it (before its first event, or just after its last); null when there is none.
     */
    Episode episode(SplittableRandom rng, double fromFraction, double toFraction) {
        long lo = t0() + (long) (durationMs() * fromFraction);
        long hi = t0() + (long) (durationMs() * toFraction);
        Map<String, long[]> due = new java.util.TreeMap<>();
        for (BenchEvent e : scenario.labelledEvents()) {
            if (e.tag() == EventTag.EPISODE && e.isOrder()) {
                long t = dueMs(e);
                due.merge(e.labelId(), new long[] {t, t}, (a, b) -> new long[] {Math.min(a[0], b[0]),
                        Math.max(a[1], b[1])});
            }
        }
        List<Episode> candidates = due.entrySet().stream().filter(e -> e.getValue()[0] >= lo && e.getValue()[0] <= hi)
                .map(e -> new Episode(e.getKey(), e.getValue()[0], e.getValue()[1])).toList();
        return candidates.isEmpty() ? null : candidates.get(rng.nextInt(candidates.size()));
    }

    /** Episodes with an event due within [fromMs, toMs] are reported apart; the drill fails if there is none. */
    void cover(String what, long fromMs, long toMs) {
        windows.add(new Window(what, fromMs, toMs, true));
    }

    /**
     * Like {@link #cover}, for a part that was down from {@code fromMs} until it was ready again at {@code toMs}:
     * reports how long after {@code toMs} the alerts of the episodes posted meanwhile reached the SSE stream; no
     * episode in the stretch is not a failure.
     */
    void watch(String what, long fromMs, long toMs) {
        windows.add(new Window(what, fromMs, toMs, false));
    }

    /** Whether the gateway acknowledged every event of the label on time: only then is it judged. */
    private static boolean allOnTime(Label label, Map<String, EventVerdict.Sent> sent) {
        return label.eventIds().stream().allMatch(id -> sent.containsKey(id) && sent.get(id).onTime());
    }

    private long dueMs(BenchEvent e) {
        return t0() + TimeUnit.NANOSECONDS.toMillis(e.sendOffsetNanos());
    }

    /** Waits for the traffic, then until every acknowledged event and expected alert arrived (or the wait ends). */
    DrillResult finish() throws InterruptedException {
        pump.await(Duration.ofMillis(durationMs() + 180_000));
        Map<String, EventVerdict.Sent> sent = new HashMap<>();
        pump.sent().forEach((id, s) -> sent.put(id, new EventVerdict.Sent(s.acked(), onTime(s),
                s.event().tag() == EventTag.LATE, !s.event().isOrder())));
        Map<String, String> judged = new LinkedHashMap<>();
        Set<String> notJudged = new HashSet<>();
        // keys whose input was not all on time: each may carry one alert in all (AlertVerdict)
        Set<String> notJudgedKeys = new HashSet<>();
        int notJudgedBursts = 0;
        for (Label label : scenario.truth().mustAlert()) {
            boolean onTime = allOnTime(label, sent);
            String episode = label.labelId() + " (" + label.type() + ", key " + label.key() + ")";
            if (onTime) {
                judged.put(label.expectedAlertId(), episode);
            } else {
                notJudged.add(label.expectedAlertId());
                notJudgedKeys.add(label.key());
                notJudgedBursts += label.type() == AlertType.BURST_CREATE_MASS_CANCEL ? 1 : 0;
                log.printf("[%s] not judged: %s, %s%n", drill, episode, lateAck(label));
            }
        }
        Set<String> acked = new HashSet<>();
        sent.forEach((id, s) -> {
            if (s.acked()) {
                acked.add(id);
            }
        });
        long deadline = System.currentTimeMillis() + SETTLE.toMillis();
        boolean eventsComplete = false;
        while (System.currentTimeMillis() < deadline) {
            // the event topics are read (all of the drill's records) only until every acknowledged event is there
            eventsComplete = eventsComplete || audit.events(from, runId()).records().keySet().containsAll(acked);
            Map<String, Integer> alerts = audit.alertIds(ALERT_TOPICS, from, runId());
            redeliverDeadLetters();
            if (eventsComplete && alerts.keySet().containsAll(judged.keySet())
                    && sseIds().keySet().containsAll(judged.keySet())
                    && receivers.keySet().stream().allMatch(r -> r.delivered().keySet().containsAll(judged.keySet()))) {
                break;
            }
            Sleep.ms(2_000);
        }
        // late duplicates or alerts would come after "complete": look once more a little later
        Sleep.ms(3_000);
        TopicAudit.EventRecords events = audit.events(from, runId());
        Map<String, Integer> alerts = audit.alertIds(ALERT_TOPICS, from, runId());
        EventVerdict eventVerdict = EventVerdict.judge(sent, events.records(), events.diverted(), pump.resentEvents());
        for (Label label : scenario.truth().mustNotAlert()) {
            if (!allOnTime(label, sent)) {
                notJudgedKeys.add(label.key());
            }
        }
        AlertVerdict alertVerdict = AlertVerdict.judge(judged, notJudged, alerts, notJudgedKeys,
                audit.alertKeys(ALERT_TOPICS, from, runId()));
        problems.addAll(eventVerdict.problems());
        problems.addAll(alertVerdict.problems());
        List<String> notes = new ArrayList<>();
        windows.forEach(w -> notes.add(covered(w, judged, alerts)));
        return result(eventVerdict.audit(), alertVerdict.audit().withNotJudgedBursts(notJudgedBursts),
                judged.keySet(), notes);
    }

    /** Why an episode is not judged: its latest-acknowledged event against its on-time bound, in words. */
    private String lateAck(Label label) {
        TrafficPump.Sent latest = null;
        for (String id : label.eventIds()) {
            TrafficPump.Sent s = pump.sent().get(id);
            if (s == null || !s.acked()) {
                return "event " + id + " never acknowledged";
            }
            if (latest == null || s.ackMs() - s.dueMs() > latest.ackMs() - latest.dueMs()) {
                latest = s;
            }
        }
        return latest == null ? "no events" : String.format("event %s acknowledged %d ms after it was due (bound %d ms)",
                latest.event().eventId(), latest.ackMs() - latest.dueMs(), onTimeBoundMs(latest));
    }

    private boolean onTime(TrafficPump.Sent s) {
        return s.acked() && s.ackMs() - s.dueMs() <= onTimeBoundMs(s);
    }

    /**
     * Orders: 2 s. Engagement events run on the scenario's compressed clock, so theirs is 80 % of the session
     * lateness (less the jitter) divided by the clock's speed: about 200 ms of wall time in the short plan.
     */
    private long onTimeBoundMs(TrafficPump.Sent s) {
        ScenarioSettings settings = scenario.settings();
        return s.event().isOrder() ? ORDER_ON_TIME_MS
                : (settings.session().latenessMs() - settings.engagementJitterMs()) * 8 / 10 / settings.engagementSpeed();
    }

    private String covered(Window w, Map<String, String> judged, Map<String, Integer> alerts) {
        Set<String> labels = new HashSet<>();
        for (BenchEvent e : scenario.labelledEvents()) {
            long due = dueMs(e);
            if (due >= w.fromMs() && due <= w.toMs()) {
                labels.add(e.labelId());
            }
        }
        List<Label> episodes = scenario.truth().mustAlert().stream().filter(l -> labels.contains(l.labelId())).toList();
        List<Label> onTime = episodes.stream().filter(l -> judged.containsKey(l.expectedAlertId())).toList();
        long once = onTime.stream().filter(l -> alerts.getOrDefault(l.expectedAlertId(), 0) == 1).count();
        if (onTime.isEmpty() && w.required()) {
            problems.add("no episode acknowledged on time had events posted during " + w.what()
                    + " (" + episodes.size() + " posted), so the drill proved nothing about its alerts");
        }
        Map<String, Long> arrived = new HashMap<>();
        sse.alerts().forEach(a -> arrived.merge(a.alertId(), a.arrivalMs(), Math::min));
        long latest = onTime.stream().mapToLong(l -> arrived.getOrDefault(l.expectedAlertId(), -1L))
                .filter(t -> t > 0).max().orElse(-1);
        String after = latest < 0 ? "" : latest <= w.toMs() ? ", all before its end"
                : String.format(java.util.Locale.ROOT, ", the last on the SSE stream %.1f s after its end",
                (latest - w.toMs()) / 1e3);
        return String.format("%s: %d episodes had events posted meanwhile (%s), %d of them judged, %d alerted"
                        + " exactly once%s", w.what(), episodes.size(),
                episodes.stream().map(Label::labelId).sorted().toList(), onTime.size(), once, after);
    }

    private void redeliverDeadLetters() {
        for (Map.Entry<WebhookReceiver, String> e : receivers.entrySet()) {
            try {
                int dead = api.deadLetters(e.getValue());
                if (dead > deadLettered.getOrDefault(e.getKey(), 0)) {
                    deadLettered.put(e.getKey(), dead);
                    int n = api.redeliverAll(e.getValue());
                    fault("redelivered " + n + " dead letters of " + e.getKey().name());
                }
            } catch (RuntimeException ex) {
                log.printf("[%s] dead-letter check failed: %s%n", drill, ex.getMessage());
            }
        }
    }

    private Map<String, Integer> sseIds() {
        Map<String, Integer> ids = new HashMap<>();
        for (ReceivedAlert a : sse.alerts()) {
            if (a.key().contains(runId())) {
                ids.merge(a.alertId(), 1, Integer::sum);
            }
        }
        return ids;
    }

    private DrillResult result(DrillResult.EventAudit events, DrillResult.AlertAudit alerts, Set<String> expected,
                               List<String> notes) {
        Map<String, Integer> sseIds = sseIds();
        int sseMissing = (int) expected.stream().filter(id -> !sseIds.containsKey(id)).count();
        int sseDup = (int) sseIds.values().stream().filter(n -> n > 1).count();
        DrillResult.SseAudit sseAudit = new DrillResult.SseAudit(expected.size(), sseIds.size(), sseMissing, sseDup,
                sse.reconnects());
        if (sseMissing > 0 || sseDup > 0) {
            problems.add("SSE stream: " + sseMissing + " expected alerts missing, " + sseDup + " received twice");
        }
        List<DrillResult.WebhookAudit> hooks = new ArrayList<>();
        for (WebhookReceiver r : receivers.keySet()) {
            hooks.add(webhookAudit(r, expected));
        }
        return new DrillResult(drill, load, List.copyOf(faults), events, alerts, sseAudit, hooks,
                List.copyOf(recoveries), pump.outcomes(), List.copyOf(notes), List.copyOf(problems));
    }

    private DrillResult.WebhookAudit webhookAudit(WebhookReceiver r, Set<String> expected) {
        Map<String, Long> delivered = r.delivered();
        int missing = (int) expected.stream().filter(id -> !delivered.containsKey(id)).count();
        List<WebhookReceiver.Request> requests = r.requests().stream()
                .filter(q -> expected.contains(q.webhookId())).toList();
        long successes = requests.stream().filter(q -> q.answered() / 100 == 2).count();
        Long heal = healedAt.get(r);
        long drained = -1;
        if (heal != null) {
            // alerts that reached the SSE stream before the heal but this endpoint only after it: the backlog
            Map<String, Long> onStream = new HashMap<>();
            sse.alerts().forEach(a -> onStream.merge(a.alertId(), a.arrivalMs(), Math::min));
            drained = expected.stream()
                    .filter(id -> onStream.getOrDefault(id, Long.MAX_VALUE) < heal && delivered.getOrDefault(id, 0L) > heal)
                    .mapToLong(id -> delivered.get(id) - heal).max().orElse(-1);
        }
        if (missing > 0) {
            problems.add("webhook " + r.name() + ": " + missing + " expected alerts never delivered");
        }
        if (r.badSignatures() > 0) {
            problems.add("webhook " + r.name() + ": " + r.badSignatures() + " requests with a bad signature");
        }
        return new DrillResult.WebhookAudit(r.name(), behaviours.get(r), expected.size(), expected.size() - missing,
                missing, requests.size(), successes - (expected.size() - missing), r.badSignatures(),
                deadLettered.getOrDefault(r, 0), drained);
    }

    @Override
    public void close() {
        sse.close();
        pump.close();
        for (Map.Entry<WebhookReceiver, String> e : receivers.entrySet()) {
            try {
                api.delete(e.getValue());
            } catch (RuntimeException ex) {
                log.printf("[%s] could not delete webhook %s: %s%n", drill, e.getValue(), ex.getMessage());
            }
            e.getKey().close();
        }
    }
}

package io.streamfleet.bench.cli;

import io.streamfleet.bench.driver.HttpTransport;
import io.streamfleet.bench.driver.LoadRunner;
import io.streamfleet.bench.driver.LoadStats;
import io.streamfleet.bench.driver.SendLog;
import io.streamfleet.bench.driver.Transport;
import io.streamfleet.bench.driver.WebSocketTransport;
import io.streamfleet.bench.cpu.FleetCpu;
import io.streamfleet.bench.lag.EngagementStreamTime;
import io.streamfleet.bench.lag.LagSampler;
import io.streamfleet.bench.late.ClientLateness;
import io.streamfleet.bench.late.LateAudit;
import io.streamfleet.bench.late.GatewayWait;
import io.streamfleet.bench.late.LateTopicReader;
import io.streamfleet.bench.oracle.BurstOracle;
import io.streamfleet.bench.oracle.EngagementCheck;
import io.streamfleet.bench.oracle.EngagementOracle;
import io.streamfleet.bench.oracle.OracleCheck;
import io.streamfleet.bench.topic.RunTopicReader;
import io.streamfleet.bench.sse.ReceivedAlert;
import io.streamfleet.bench.report.BenchReport;
import io.streamfleet.bench.report.Timeline;
import io.streamfleet.bench.scenario.BenchEvent;
import io.streamfleet.bench.scenario.BurstRules;
import io.streamfleet.bench.scenario.EngagementOrigin;
import io.streamfleet.bench.scenario.EventTag;
import io.streamfleet.bench.scenario.Scenario;
import io.streamfleet.bench.scenario.ScenarioGenerator;
import io.streamfleet.bench.scenario.ScenarioSettings;
import io.streamfleet.bench.scenario.SessionRules;
import io.streamfleet.bench.sse.SseSubscriber;
import io.streamfleet.contracts.event.EngagementEvent;
import io.streamfleet.contracts.event.OrderEvent;
import io.streamfleet.contracts.json.ContractMapper;
import io.streamfleet.contracts.topic.Topics;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * One benchmark run: subscribe to the SSE feed, start lag sampling, drive the scenario through the gateway, wait for
 * the last alerts and for the lag to settle, then score everything against the ground truth.
 */
public final class BenchRun {

    /** Everything the run observed, handed to {@link ReportBuilder}. */
    record Observed(BenchOptions options, Scenario scenario, LoadStats stats, Timeline timeline,
                    SseSubscriber sse, LagSampler lag, LateAudit late, OracleCheck burstOracle,
                    EngagementCheck engagementOracle, Set<String> labelledDivertedOnTime,
                    Set<String> incompleteKeys, List<String> notes, long startMs, DrainResult drained,
                    List<FleetCpu.PartCpu> cpu) {
    }

    private static final List<String> LATE_TOPICS = List.of(Topics.ORDERS_LATE.name(), Topics.ENGAGEMENT_LATE.name(),
            Topics.ORDERS_CEP_LATE.name());

    /** As given, but with the engagement origin chosen by {@link #execute()} unless one was given. */
    private BenchOptions options;
    private final PrintStream out;
    private volatile io.streamfleet.bench.scenario.GroundTruth truth;

    public BenchRun(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    static ScenarioSettings settings(BenchOptions o, long startMs) {
        retries(o);
        gatewayHoldMs(o);
        return new ScenarioSettings(Long.parseLong(o.text("seed")), startMs, o.integer("rate"),
                o.duration("duration").toMillis(), o.integer("keys"), o.decimal("engagement-share"),
                o.integer("engagement-users"), o.integer("engagement-speed"), o.integer("episodes"),
                o.integer("near-misses"), o.integer("engagement-episodes"), o.integer("engagement-near-misses"),
                o.duration("jitter").toMillis(), o.decimal("duplicates"), o.decimal("late"), BurstRules.defaults(),
                SessionRules.defaults(), longOption(o, "engagement-origin"), o.duration("warm-up").toMillis());
    }

    /** The gateway's hold under its overload rule ({@code --gateway-hold}), for the late audit's slack class. */
    static long gatewayHoldMs(BenchOptions o) {
        long holdMs = o.duration("gateway-hold").toMillis();
        if (holdMs < 0) {
            throw new IllegalArgumentException("--gateway-hold must be 0 or more, was " + o.text("gateway-hold"));
        }
        return holdMs;
    }

    /** How often the open loop sends again what the gateway refused with a delay ({@code --retries}, 0: never). */
    static int retries(BenchOptions o) {
        int retries = o.integer("retries");
        if (retries < 0) {
            throw new IllegalArgumentException("--retries must be 0 (never resend) or more, was " + retries);
        }
        return retries;
    }

    private static long longOption(BenchOptions o, String name) {
        try {
            return Long.parseLong(o.text(name).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be epoch milliseconds, was " + o.text(name));
        }
    }

    public BenchReport execute() throws InterruptedException {
        String apiKey = options.apiKey();
        String driver = options.text("driver");
        String mode = options.text("mode");
        if (!Set.of("http-batch", "http-single", "ws").contains(driver)) {
            throw new IllegalArgumentException("--driver must be http-batch, http-single or ws");
        }
        if (!Set.of("open", "closed").contains(mode)) {
            throw new IllegalArgumentException("--mode must be open or closed");
        }
        settings(options, System.currentTimeMillis());
        List<String> notes = new ArrayList<>();
        options = withEngagementClock(options, System.currentTimeMillis(), notes);
        Duration timeout = options.duration("timeout");

        SseSubscriber sse = new SseSubscriber(options.text("alerts"), apiKey);
        if (!sse.start(Duration.ofSeconds(15))) {
            notes.add("the SSE feed did not open within 15 s (" + sse.lastProblem() + "); alerts may be missing");
        }
        long startMs = System.currentTimeMillis() + 1_000;
        Scenario scenario = ScenarioGenerator.generate(settings(options, startMs));
        truth = scenario.truth();
        out.printf("fleet-bench run %s: %s, %s loop, %,d background events/s for %s s, %d labelled episodes "
                        + "and near-misses%n", scenario.runId(), driver, mode, options.integer("rate"),
                options.duration("duration").toSeconds(), scenario.truth().labels().size());
        LagSampler lag = new LagSampler(options.text("bootstrap"), options.list("lag-groups"), startMs);
        lag.start(1_000);
        // when each event really reached the wire: the late audit tells the driver's lateness from the fleet's by it
        SendLog sendLog = new SendLog(ClientLateness.of(scenario.settings()));
        LoadStats stats = new LoadStats(sendLog);
        Timeline timeline = new Timeline(LoadStats.MAX_LATENCY_MICROS);
        DrainResult drained;
        // CPU from the first send to the end of the drain: the work the run's events caused, backlog included
        FleetCpu fleetCpu = FleetCpu.start(Path.of(options.text("pids")));
        if (fleetCpu.parts().isEmpty()) {
            notes.add("CPU per part not measured: no live fleet process in " + options.text("pids")
                    + " (--pids DIR: the fleet's pid folder, e.g. .fleet/pids)");
        }
        List<FleetCpu.PartCpu> cpu;
        long engagementHorizon;
        try (Transport transport = transport(driver, apiKey, timeout)) {
            drive(transport, scenario, stats, timeline, startMs, mode, sse);
            grownPoolNote(transport, mode).ifPresent(notes::add);
            drained = drain(scenario, sse, lag);
            // while the feed is still open: the drops of sessions closed by then must have arrived by its close
            engagementHorizon = engagementHorizon(scenario);
            cpu = fleetCpu.stop(stats.acceptedEvents());
        } finally {
            sse.close();
            lag.close();
        }
        if (sse.reconnects() > 0) {
            notes.add("the SSE feed had to be (re)connected " + sse.reconnects() + " time(s), resuming with "
                    + "Last-Event-ID when an event had been seen; last problem: " + sse.lastProblem());
        }
        if (!lag.lastProblem().isEmpty()) {
            notes.add("lag sampling problem: " + lag.lastProblem());
        }
        if (drained.ending() == DrainPolicy.Ending.LIMIT_WITH_LAG) {
            notes.add(String.format(java.util.Locale.ROOT, "NOT DRAINED: the drain ended at --drain-limit (%.0f s) "
                    + "with lag %s; episodes counted as missed may only not have been reached yet",
                    drained.waitedMs() / 1000.0, drained.lagAtEnd()));
        } else if (drained.ending() == DrainPolicy.Ending.LAG_UNKNOWN) {
            notes.add("the lag could not be read during the drain: missed episodes cannot be told from not-yet ones");
        }
        List<String> lateProblems = new ArrayList<>();
        Map<String, Long> ingestedAt = new HashMap<>();
        Map<String, List<String>> lateIds = new LateTopicReader(options.text("bootstrap"), Duration.ofSeconds(30))
                .read(LATE_TOPICS, scenario.runId(), lateProblems, ingestedAt);
        Set<String> intendedLate = intendedLate(scenario);
        // an intended late event the gateway never took cannot be in a late topic: not 'missing', counted apart
        Set<String> neverAccepted = sendLog.neverReachedKafka(scenario.events(), intendedLate);
        lateIds.values().forEach(neverAccepted::removeAll);
        if (!neverAccepted.isEmpty()) {
            notes.add(String.format(java.util.Locale.ROOT, "%,d of the %,d events sent late on purpose never reached "
                    + "Kafka (every attempt refused unsent or not on the wire): left out of the late audit",
                    neverAccepted.size(), intendedLate.size()));
        }
        // diverted but not late on purpose: late by the client (sent beyond the bound) or the fleet's doing
        Set<String> divertedOnTime = divertedOnTime(lateIds, intendedLate);
        Set<String> lateByClient = sendLog.rule().lateByClient(scenario.events(), divertedOnTime, sendLog::sentMs);
        Set<String> shortOfSlack = sendLog.rule().sentWithSlackBelow(scenario.events(), divertedOnTime,
                sendLog::sentMs, gatewayHoldMs(options));
        Set<String> intendedAccepted = new HashSet<>(intendedLate);
        intendedAccepted.removeAll(neverAccepted);
        LateAudit late = LateAudit.of(intendedAccepted, lateIds, lateByClient::contains, shortOfSlack::contains,
                String.join("; ", lateProblems));
        Set<String> onTimeByRule = new HashSet<>(divertedOnTime);
        onTimeByRule.removeAll(lateByClient);
        String gatewayWait = GatewayWait.of(scenario.events(), onTimeByRule, sendLog::sentMs, ingestedAt,
                sendLog.rule().orderLatenessMs()).describe();
        if (!gatewayWait.isEmpty()) {
            notes.add(gatewayWait);
        }
        if (!late.problem().isEmpty()) {
            notes.add("late topics not fully read: " + late.problem());
        }
        OracleCheck burstOracle = burstOracle(scenario, sse);
        if (!burstOracle.problem().isEmpty()) {
            notes.add("orders.clean not fully read, the oracle check is incomplete: " + burstOracle.problem());
        }
        EngagementCheck engagementOracle = engagementOracle(scenario, sse, engagementHorizon);
        if (!engagementOracle.problem().isEmpty()) {
            notes.add("the engagement oracle check is incomplete: " + engagementOracle.problem());
        }
        return ReportBuilder.build(new Observed(options, scenario, stats, timeline, sse, lag, late, burstOracle,
                engagementOracle,
                labelledDivertedOnTime(scenario, divertedOnTime),
                incompleteKeys(scenario, stats.notAcceptedIds(), divertedOnTime), notes, startMs, drained, cpu));
    }

    /**
     * The run's engagement clock, decided before anything is sent: a given origin must clear the fleet's engagement
     * stream time; otherwise one is chosen after it (docs: README, fleet-bench).
     */
    private BenchOptions withEngagementClock(BenchOptions o, long nowMs, List<String> notes) {
        if (o.decimal("engagement-share") == 0 && o.integer("engagement-episodes") == 0
                && o.integer("engagement-near-misses") == 0) {
            return o;
        }
        long given = longOption(o, "engagement-origin");
        OptionalLong fleetTime;
        try {
            fleetTime = new EngagementStreamTime(o.text("bootstrap"), Duration.ofSeconds(15)).read();
        } catch (IllegalStateException e) {
            if (given > 0) {
                notes.add("the fleet's engagement stream time could not be read (" + e.getMessage()
                        + "); --engagement-origin was not checked against it");
                return o;
            }
            throw new IllegalStateException("cannot pick an engagement clock: " + e.getMessage() + " (is the broker"
                    + " running and --bootstrap right? With --engagement-origin the run goes on unchecked)", e);
        }
        // the fleet's time moves on with the wall clock until the run starts (after the SSE feed opened, <= 15 s)
        OptionalLong atStart = fleetTime.isPresent()
                ? OptionalLong.of(fleetTime.getAsLong() + EngagementOrigin.READ_TO_START_MS) : fleetTime;
        if (given > 0) {
            EngagementOrigin.check(given, nowMs, atStart);
            return o;
        }
        long origin = EngagementOrigin.choose(nowMs, o.duration("duration").toMillis() * o.integer("engagement-speed"),
                atStart);
        out.printf("Engagement clock from %s (%s; --engagement-origin %d)%n", Instant.ofEpochMilli(origin),
                fleetTime.isPresent() ? "the fleet's engagement stream time is " + Instant.ofEpochMilli(
                        fleetTime.getAsLong()) : "the fleet has no engagement stream time yet", origin);
        return o.with("engagement-origin", Long.toString(origin));
    }

    /**
     * The run's burst alerts against what its orders in {@code orders.clean} (accepted, deduplicated, on time) imply
     * by the detector's own engine: every alert explained by the input the fleet really got, under overload too.
     */
    private OracleCheck burstOracle(Scenario scenario, SseSubscriber sse) {
        List<String> problems = new ArrayList<>();
        List<OrderEvent> orders = new ArrayList<>();
        long[] unreadable = {0};
        try (RunTopicReader reader = new RunTopicReader(options.text("bootstrap"), Duration.ofSeconds(60),
                "fleet-bench-oracle")) {
            reader.read(Topics.ORDERS_CLEAN.name(), scenario.runId(), (id, json) -> {
                try {
                    orders.add(ContractMapper.shared().treeToValue(json, OrderEvent.class));
                } catch (RuntimeException e) {
                    unreadable[0]++;
                }
            }, problems);
        } catch (RuntimeException e) {
            problems.add(Topics.ORDERS_CLEAN.name() + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
        }
        if (unreadable[0] > 0) {
            problems.add(unreadable[0] + " record(s) of the run in " + Topics.ORDERS_CLEAN.name()
                    + " are not order events");
        }
        BurstOracle oracle = new BurstOracle(BurstOracle.settingsOf(scenario.settings().burst()));
        List<ReceivedAlert> alerts = sse.alerts().stream()
                .filter(a -> a.type().equals("BURST_CREATE_MASS_CANCEL") && a.key().contains(scenario.runId()))
                .toList();
        return OracleCheck.of(orders.size(), oracle.detect(orders), alerts, String.join("; ", problems));
    }

    /**
     * Wall-clock seconds an engagement drop may take from the session-analytics commit that raised it to the SSE feed
     * (commit interval, alert-api, the feed); the drops of sessions that closed later are not yet owed.
     */
    private static final long ALERT_DELIVERY_SECONDS = 5;

    /**
     * The event time up to which the fleet owes the run's engagement drops: its engagement stream time at the end of
     * the drain (when session-analytics has caught up), less {@link #ALERT_DELIVERY_SECONDS} of the run's engagement
     * clock; {@code Long.MIN_VALUE} when the time cannot be read (nothing is owed).
     */
    private long engagementHorizon(Scenario scenario) {
        try {
            OptionalLong time = new EngagementStreamTime(options.text("bootstrap"), Duration.ofSeconds(15)).read();
            return time.isPresent() ? time.getAsLong()
                    - ALERT_DELIVERY_SECONDS * 1_000 * scenario.settings().engagementSpeed() : Long.MIN_VALUE;
        } catch (IllegalStateException e) {
            return Long.MIN_VALUE;
        }
    }

    /**
     * The run's engagement-drop alerts against what its engagement events in {@code engagement.clean} (accepted,
     * deduplicated, on time) imply by session-analytics' own engine: every alert explained by the input the fleet
     * really got, under overload too.
     */
    private EngagementCheck engagementOracle(Scenario scenario, SseSubscriber sse, long horizonMs) {
        List<String> problems = new ArrayList<>();
        List<EngagementEvent> events = new ArrayList<>();
        long[] unreadable = {0};
        try (RunTopicReader reader = new RunTopicReader(options.text("bootstrap"), Duration.ofSeconds(60),
                "fleet-bench-engagement-oracle")) {
            reader.read(Topics.ENGAGEMENT_CLEAN.name(), scenario.runId(), (id, json) -> {
                try {
                    events.add(ContractMapper.shared().treeToValue(json, EngagementEvent.class));
                } catch (RuntimeException e) {
                    unreadable[0]++;
                }
            }, problems);
        } catch (RuntimeException e) {
            problems.add(Topics.ENGAGEMENT_CLEAN.name() + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
        }
        if (unreadable[0] > 0) {
            problems.add(unreadable[0] + " record(s) of the run in " + Topics.ENGAGEMENT_CLEAN.name()
                    + " are not engagement events");
        }
        if (!events.isEmpty() && horizonMs == Long.MIN_VALUE) {
            problems.add("the fleet's engagement stream time could not be read: no drop counted as owed");
        }
        EngagementOracle oracle = EngagementOracle.of(scenario.settings().session());
        List<ReceivedAlert> alerts = sse.alerts().stream()
                .filter(a -> a.type().equals("ENGAGEMENT_DROP") && a.key().contains(scenario.runId()))
                .toList();
        return EngagementCheck.of(events.size(), oracle.imply(events, horizonMs), alerts,
                String.join("; ", problems));
    }

    /** The events the scenario sent late on purpose. */
    private static Set<String> intendedLate(Scenario scenario) {
        Set<String> intended = new HashSet<>();
        for (BenchEvent e : scenario.events()) {
            if (e.tag() == EventTag.LATE) {
                intended.add(e.eventId());
            }
        }
        return intended;
    }

    /** Events of labelled episodes and near-misses that were sent on time but diverted to a late topic. */
    private static Set<String> labelledDivertedOnTime(Scenario scenario, Set<String> divertedOnTime) {
        Set<String> diverted = new HashSet<>();
        scenario.truth().labels().forEach(label -> label.eventIds().stream().filter(divertedOnTime::contains)
                .forEach(diverted::add));
        return diverted;
    }

    /** Events in a late topic that were not sent late on purpose (late by the client or diverted by the fleet). */
    private static Set<String> divertedOnTime(Map<String, List<String>> lateIds, Set<String> intendedLate) {
        Set<String> diverted = new HashSet<>();
        lateIds.values().forEach(ids -> ids.stream().filter(id -> !intendedLate.contains(id)).forEach(diverted::add));
        return diverted;
    }

    /** Keys with an event the gateway did not accept in the end, or one sent on time that a stage diverted. */
    private static Set<String> incompleteKeys(Scenario scenario, Set<String> notAccepted,
                                              Set<String> divertedOnTime) {
        if (notAccepted.isEmpty() && divertedOnTime.isEmpty()) {
            return Set.of();
        }
        Set<String> keys = new HashSet<>();
        for (BenchEvent e : scenario.events()) {
            if (notAccepted.contains(e.eventId()) || divertedOnTime.contains(e.eventId())) {
                keys.add(e.key());
            }
        }
        return keys;
    }

    /** Ground truth of the last run (null before {@link #execute()}). */
    public io.streamfleet.bench.scenario.GroundTruth truth() {
        return truth;
    }

    private Transport transport(String driver, String apiKey, Duration timeout) {
        // closed loop: one connection per request in flight. Open loop: a pool that grows, up to the in-flight cap,
        // whenever a request would wait for a connection, so that a server past its capacity meets the schedule's
        // requests (and refuses what it cannot take) instead of the driver queueing them and falling behind
        boolean closed = options.text("mode").equals("closed");
        int connections = closed ? options.integer("concurrency") : HttpTransport.DEFAULT_CONNECTIONS;
        int growTo = closed ? connections : Math.max(connections, options.integer("max-in-flight"));
        return switch (driver) {
            case "http-batch" -> HttpTransport.batch(options.text("gateway"), apiKey, options.batchSize(),
                    timeout, connections, 1, growTo);
            case "http-single" -> HttpTransport.single(options.text("gateway"), apiKey, timeout, connections, 1,
                    growTo);
            default -> new WebSocketTransport(options.text("gateway"), apiKey, options.integer("ws-connections"),
                    options.batchSize(), Duration.ofSeconds(10));
        };
    }

    /** Says when the open loop's pool grew past its starting size: the server answered too slowly for it. */
    static Optional<String> grownPoolNote(Transport transport, String mode) {
        if (!(transport instanceof HttpTransport http) || http.peakConnections() <= HttpTransport.DEFAULT_CONNECTIONS
                || !mode.equals("open")) {
            return Optional.empty();
        }
        return Optional.of("the driver opened up to " + http.peakConnections() + " HTTP connections ("
                + HttpTransport.DEFAULT_CONNECTIONS + " to start): the gateway answered too slowly for the schedule,"
                + " so requests went out on new connections instead of waiting in the driver");
    }

    private void drive(Transport transport, Scenario scenario, LoadStats stats, Timeline timeline, long startMs,
                       String mode, SseSubscriber sse) throws InterruptedException {
        boolean open = mode.equals("open");
        LoadRunner runner = new LoadRunner(transport, stats,
                open ? options.integer("max-in-flight") : options.integer("concurrency"), retries(options));
        long durationMs = options.duration("duration").toMillis();
        long hardStopMs = startMs + (open ? durationMs + 30_000 : Math.max(2 * durationMs, durationMs + 60_000));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long startNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(startMs - System.currentTimeMillis());
        Thread sender = new Thread(() -> {
            try {
                if (open) {
                    runner.openLoop(scenario.iterator(), startNanos, stop::get, options.duration("timeout"));
                } else {
                    sleepUntil(startMs);
                    runner.closedLoop(scenario.iterator(), stop::get, options.duration("timeout"));
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "bench-sender");
        sender.start();
        Progress progress = new Progress(out, options.text("progress"), durationMs, scenario.truth().mustAlert().size());
        long accepted = 0;
        sleepUntil(startMs);
        while (sender.isAlive()) {
            sender.join(1_000);
            long now = System.currentTimeMillis();
            long total = stats.acceptedEvents();
            timeline.add((now - startMs) / 1000.0, stats.intervalLatency(), total - accepted);
            accepted = total;
            progress.update(now - startMs, stats, countAlerts(scenario, sse));
            if (now > hardStopMs) {
                stop.set(true);
            }
        }
        progress.finish();
        if (failure.get() != null) {
            throw new IllegalStateException("the load driver failed: " + failure.get(), failure.get());
        }
    }

    /** Episodes (by key) with at least one alert so far. */
    private static int countAlerts(Scenario scenario, SseSubscriber sse) {
        Set<String> expectedKeys = scenario.truth().mustAlert().stream().map(l -> l.key()).collect(Collectors.toSet());
        return (int) sse.alerts().stream().filter(a -> expectedKeys.contains(a.key())).map(a -> a.key()).distinct().count();
    }

    /**
     * Waits for the last alerts as {@link DrainPolicy} says: past {@code --drain} only while the fleet still lags, up
     * to {@code --drain-limit}; how it ended goes into the report, so a missed episode is never a not-yet one.
     */
    private DrainResult drain(Scenario scenario, SseSubscriber sse, LagSampler lag) throws InterruptedException {
        DrainPolicy policy = DrainPolicy.of(options.duration("drain").toMillis(),
                options.duration("drain-limit").toMillis());
        long begin = System.currentTimeMillis();
        int expected = scenario.truth().mustAlert().size();
        out.printf("Traffic done; waiting %d s for the last alerts, longer while the fleet lags (up to %d s)...%n",
                policy.drainMs() / 1000, policy.limitMs() / 1000);
        long drainedSince = -1;
        long lastReport = 0;
        while (true) {
            long waited = System.currentTimeMillis() - begin;
            int found = countAlerts(scenario, sse);
            Map<String, Long> latest = lag.latest();
            boolean zero = !latest.isEmpty() && latest.values().stream().allMatch(DrainPolicy::caughtUp);
            drainedSince = zero ? (drainedSince < 0 ? waited : drainedSince) : -1;
            DrainPolicy.Ending ending = policy.decide(waited, found, expected, latest, drainedSince);
            if (ending != null) {
                out.printf("  %d/%d episodes alerted after %.1f s of drain; lag %s (%s)%n", found, expected,
                        waited / 1000.0, latest, ending);
                return new DrainResult(ending, waited, latest);
            }
            if (waited >= policy.drainMs() && waited - lastReport >= 10_000) {
                lastReport = waited;
                out.printf("  still lagging after %.0f s of drain: %s; %d/%d episodes alerted%n", waited / 1000.0,
                        latest, found, expected);
            }
            Thread.sleep(500);
        }
    }

    /** How the wait after the traffic ended, and the lag per group at that moment. */
    record DrainResult(DrainPolicy.Ending ending, long waitedMs, Map<String, Long> lagAtEnd) {
    }

    private static void sleepUntil(long epochMs) throws InterruptedException {
        long wait = epochMs - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }
}

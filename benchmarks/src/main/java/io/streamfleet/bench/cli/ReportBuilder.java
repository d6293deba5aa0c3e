package io.streamfleet.bench.cli;

import io.streamfleet.bench.driver.LoadStats;
import io.streamfleet.bench.driver.SendLog;
import io.streamfleet.bench.lag.LagSample;
import io.streamfleet.bench.late.LateAudit;
import io.streamfleet.bench.report.BenchReport;
import io.streamfleet.bench.report.Detection;
import io.streamfleet.bench.report.DetectionEvaluator;
import io.streamfleet.bench.report.Percentiles;
import io.streamfleet.bench.report.Targets;
import io.streamfleet.bench.scenario.BurstRules;
import org.HdrHistogram.Histogram;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Turns what a run observed into a {@link BenchReport}. */
final class ReportBuilder {

    private static final double[] SPECTRUM = {0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 100};
    private static final String[] RUN_SETTINGS = {"gateway", "alerts", "bootstrap", "driver", "mode", "rate",
            "duration", "batch-size", "concurrency", "max-in-flight", "ws-connections", "keys", "engagement-share",
            "engagement-users", "engagement-speed", "episodes", "near-misses", "engagement-episodes",
            "engagement-near-misses", "engagement-origin", "warm-up", "jitter", "duplicates", "late", "seed", "drain",
            "drain-limit", "retries", "gateway-hold"};

    private ReportBuilder() {
    }

    static BenchReport.Resends resends(LoadStats.Retries r) {
        return new BenchReport.Resends(r.refusals(), r.refusedEvents(), r.resentEvents(), r.acceptedOnRetry(),
                r.givenUp());
    }

    /** The driver's backlog as the report shows it, or null when the run kept no send log. */
    static BenchReport.DriverBacklog driverBacklog(SendLog log) {
        if (log == null) {
            return null;
        }
        SendLog.Backlog b = log.backlog();
        return new BenchReport.DriverBacklog(b.events(), b.notOnWire(), Percentiles.of(b.delayMicros()),
                b.ordersBehindBound(), b.engagementBehindBound(), log.rule().orderLatenessMs(),
                (double) log.rule().engagementLatenessMs() / log.rule().engagementSpeed(), b.ordersLateByClient(),
                b.engagementLateByClient());
    }

    static BenchReport build(BenchRun.Observed o) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("runId", o.scenario().runId());
        run.put("startedAt", Instant.ofEpochMilli(o.startMs()).toString());
        for (String name : RUN_SETTINGS) {
            // the batch size as sent (auto resolves by driver)
            run.put(name, name.equals("batch-size") ? Integer.toString(o.options().batchSize())
                    : o.options().text(name));
        }
        run.put("drainEnding", o.drained().ending().name());
        run.put("drainWaitedMs", o.drained().waitedMs());
        run.put("machine", Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch"));

        Histogram total = o.timeline().total();
        double active = o.stats().activeNanos() / 1e9;
        BenchReport.Ingest ingest = new BenchReport.Ingest(o.options().text("driver"), o.options().text("mode"),
                o.stats().sentEvents(), o.stats().acceptedEvents(), o.stats().requests(), o.stats().outcomes(),
                Percentiles.round(active), active == 0 ? 0 : Math.round(o.stats().acceptedEvents() / active),
                active == 0 ? 0 : Math.round(o.stats().requests() / active), Percentiles.of(total),
                resends(o.stats().retries()));
        List<BenchReport.SpectrumPoint> spectrum = new ArrayList<>();
        if (total.getTotalCount() > 0) {
            for (double p : SPECTRUM) {
                spectrum.add(new BenchReport.SpectrumPoint(p, total.getValueAtPercentile(p) / 1000.0));
            }
        }
        DetectionEvaluator.Result detection = DetectionEvaluator.evaluate(o.scenario().truth(), o.sse().alerts(),
                o.stats().labelledAckMs(), o.labelledDivertedOnTime(), o.stats().labelledAcceptedOnRetry(),
                o.incompleteKeys());
        List<LagSample> samples = o.lag().samples();
        List<BenchReport.LagSummary> lag = new ArrayList<>();
        for (String group : o.options().list("lag-groups")) {
            List<LagSample> mine = samples.stream().filter(s -> s.group().equals(group) && s.lag() >= 0).toList();
            if (!mine.isEmpty()) {
                lag.add(new BenchReport.LagSummary(group, mine.stream().mapToLong(LagSample::lag).max().orElse(0),
                        mine.get(mine.size() - 1).lag(), mine.size()));
            }
        }
        BurstRules rules = o.scenario().settings().burst();
        List<String> notes = new ArrayList<>(o.notes());
        if (o.options().text("mode").equals("closed")) {
            notes.add("closed loop: events carry the event times of the nominal --rate, so detection latency is not "
                    + "comparable with the target (the watermark follows event time, not the send rate)");
        }
        if (o.scenario().settings().engagementShare() > 0) {
            notes.add("engagement runs on a compressed clock (" + o.scenario().settings().engagementSpeed()
                    + "x): a session closes 30 min + 120 s of event time after its last event, so engagement "
                    + "detection latency is dominated by that gap, not by the pipeline");
        }
        BenchReport.DriverBacklog backlog = driverBacklog(o.stats().sendLog());
        // the fleet's engagement stream time ahead of the run explains engagement events sent in time yet diverted;
        // those the driver sent beyond their bound are explained by its backlog (the note below)
        long engagementLate = o.late().topics().stream().filter(t -> t.topic().startsWith("engagement."))
                .mapToLong(LateAudit.TopicTally::onTimeDiverted).sum();
        if (o.late().lateByClient() > 0) {
            notes.add(String.format(Locale.ROOT, "%,d events in late topics were late by the client: the driver put "
                    + "them on the wire more than their lateness bound after their event time (orders %,d ms of wall "
                    + "time, engagement %,d ms of the run's %dx engagement clock), so the product's rule may divert "
                    + "them without a stage being at fault; they are not counted against the fleet. %s",
                    o.late().lateByClient(), o.scenario().settings().burst().latenessMs(),
                    o.scenario().settings().session().latenessMs(), o.scenario().settings().engagementSpeed(),
                    Targets.backlog(backlog)));
        }
        LoadStats.Retries retries = o.stats().retries();
        if (engagementLate > 0) {
            String resent = "";
            if (retries.acceptedOnRetry() > 0) {
                int speed = o.scenario().settings().engagementSpeed();
                resent = String.format(Locale.ROOT, ". Or they were accepted only on a resend: %,d events of this run "
                        + "were, each at least the gateway's delay after it was sent, and at %dx a delay above %.0f ms "
                        + "is beyond the %d s of engagement lateness", retries.acceptedOnRetry(), speed,
                        (double) o.scenario().settings().session().latenessMs() / speed,
                        o.scenario().settings().session().latenessMs() / 1000);
            }
            notes.add(engagementLate + " engagement events sent within their lateness bound were diverted as late: "
                    + "perhaps the fleet's engagement "
                    + "stream time was ahead of this run's clock (which began at "
                    + Instant.ofEpochMilli(o.scenario().settings().engagementClockStartMs()) + "), e.g. another "
                    + "producer (demo traffic, a concurrent run) sent engagement events after fleet-bench read that "
                    + "time before the run; run against a fleet nothing else writes to, or one with fresh state"
                    + resent);
        }
        Detection all = detection.summaries().get(detection.summaries().size() - 1);
        if (all.inputIncomplete() > 0) {
            notes.add(all.inputIncomplete() + " labelled episode(s) or near-miss(es) had events the gateway did not "
                    + "accept in the end (" + (o.stats().sentEvents() - o.stats().acceptedEvents()) + " events of the "
                    + "run: given up after their resends, rejected or failed; answers " + o.stats().outcomes()
                    + ") or events a stage diverted as late; they are left out of the detection figures, "
                    + all.incompleteAlerted() + " of them alerted");
        }
        if (all.incompleteKeyAlerts() > 0) {
            notes.add(all.incompleteKeyAlerts() + " alert(s) on unlabelled keys whose input was incomplete (events "
                    + "not accepted in the end or diverted as late) are not counted as false: the ground truth assumes "
                    + "every event arrived as sent; alerts on unlabelled keys with complete input are ("
                    + all.otherFalseAlerts() + ")");
        }
        if (retries.refusals() > 0) {
            Set<String> onRetry = o.stats().labelledAcceptedOnRetry();
            long scoredOnRetry = detection.outcomes().stream()
                    .filter(l -> l.inputComplete() && l.acceptedOnRetry() > 0).count();
            long divertedOnRetry = o.labelledDivertedOnTime().stream().filter(onRetry::contains).count();
            notes.add(String.format(Locale.ROOT, "the gateway refused %,d times with a delay (events by reason %s); "
                            + "%s; %,d events were accepted on a resend, %,d given up (not accepted). %d scored label(s) "
                            + "had events accepted on a resend: their latency counts from that acceptance. %d labelled "
                            + "event(s) accepted on a resend were diverted as late (the resend came too late for its "
                            + "window), so their labels are not scored", retries.refusals(), retries.refusedEvents(),
                    o.options().text("mode").equals("open") ? String.format(Locale.ROOT, "%,d events were resent after "
                            + "the gateway's delay (--retries %s)", retries.resentEvents(), o.options().text("retries"))
                            : "the closed loop does not resend", retries.acceptedOnRetry(), retries.givenUp(),
                    scoredOnRetry, divertedOnRetry));
        }
        if (detection.foreignAlerts() > 0) {
            notes.add(detection.foreignAlerts() + " alert(s) of other runs arrived on the feed and were ignored");
        }
        return new BenchReport(run, ingest, o.timeline().points(), spectrum, detection.summaries(),
                detection.outcomes(), detection.foreignAlerts(), lag, samples, o.late(), backlog, o.burstOracle(),
                o.engagementOracle(), o.cpu(),
                Targets.check(ingest, o.options().integer("rate"), detection.summaries(), lag, rules.latenessMs(),
                        rules.cancelWindowMs(), o.burstOracle(), o.late(), backlog), notes);
    }
}

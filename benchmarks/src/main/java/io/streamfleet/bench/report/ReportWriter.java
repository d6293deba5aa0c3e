package io.streamfleet.bench.report;

import io.streamfleet.bench.cpu.FleetCpu;
import io.streamfleet.bench.lag.LagSample;
import io.streamfleet.bench.late.LateAudit;
import io.streamfleet.bench.oracle.EngagementCheck;
import io.streamfleet.bench.oracle.OracleCheck;
import io.streamfleet.bench.report.BenchReport.TargetCheck;
import io.streamfleet.contracts.json.ContractMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link BenchReport} as a console table, as JSON and as a self-contained HTML page with SVG charts. */
public final class ReportWriter {

    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};

    private ReportWriter() {
    }

    public static String json(BenchReport report) {
        return ContractMapper.shared().writerWithDefaultPrettyPrinter().writeValueAsString(report);
    }

    public static String table(BenchReport r) {
        StringBuilder sb = new StringBuilder();
        BenchReport.Ingest in = r.ingest();
        Percentiles l = in.latency();
        line(sb, "Ingest (%s, %s loop)", in.driver(), in.mode());
        line(sb, "  events sent / accepted     %,d / %,d in %,d requests over %.1f s", in.eventsSent(),
                in.eventsAccepted(), in.requests(), in.activeSeconds());
        line(sb, "  throughput                 %,.0f events/s, %,.0f requests/s", in.eventsPerSecond(),
                in.requestsPerSecond());
        line(sb, "  request latency (ms)       p50 %.2f  p90 %.2f  p95 %.2f  p99 %.2f  p99.9 %.2f  max %.2f",
                l.p50Ms(), l.p90Ms(), l.p95Ms(), l.p99Ms(), l.p999Ms(), l.maxMs());
        line(sb, "  outcomes                   %s (every answer, resends included)", in.outcomes());
        BenchReport.Resends retries = in.retries();
        if (retries.refusals() > 0) {
            line(sb, "  refused with a delay       %,d answers, events by reason %s; %,d events resent, %,d accepted on "
                    + "a resend, %,d given up", retries.refusals(), retries.refusedEvents(), retries.resentEvents(),
                    retries.acceptedOnRetry(), retries.givenUp());
        }
        BenchReport.DriverBacklog b = r.driverBacklog();
        if (b != null && b.events() > 0) {
            Percentiles d = b.behindSchedule();
            line(sb, "  driver: on the wire behind schedule (ms)  p50 %.1f  p99 %.1f  max %.1f  (%,d events by their "
                    + "first attempt%s)", d.p50Ms(), d.p99Ms(), d.maxMs(), b.events(), b.notOnWire() == 0 ? ""
                    : String.format(Locale.ROOT, "; %,d never reached the wire", b.notOnWire()));
            line(sb, "  driver: beyond the lateness bound behind schedule: %,d orders (> %,d ms), %,d engagement "
                    + "events (> %.0f ms)", b.ordersBehindBound(), b.orderBoundMs(), b.engagementBehindBound(),
                    b.engagementBoundWallMs());
            line(sb, "  driver: sent beyond their lateness bound after their event time (late by the client): %,d "
                    + "orders, %,d engagement events%s", b.ordersLateByClient(), b.engagementLateByClient(),
                    b.lateByClient() == 0 ? "" : " - the driver, not the fleet, made these late");
        }
        line(sb, "Detection");
        line(sb, "  %-26s %8s %8s %9s %9s %6s %6s %9s %12s %12s", "type", "expected", "found", "near-miss",
                "flagged", "other", "dups", "recall", "precision", "latency p50/p99 ms");
        for (Detection d : r.detection()) {
            line(sb, "  %-26s %8d %8d %9d %9d %6d %6d %9s %12s %12s", d.type(), d.expected(), d.found(), d.nearMisses(),
                    d.nearMissesFlagged(), d.otherFalseAlerts(), d.duplicateDeliveries(), ratio(d.recall()),
                    ratio(d.precision()), d.latency().count() == 0 ? "-"
                            : String.format(Locale.ROOT, "%.0f / %.0f", d.latency().p50Ms(), d.latency().p99Ms()));
            if (!d.missed().isEmpty()) {
                line(sb, "    missed: %s", String.join(", ", d.missed()));
            }
            if (d.inputIncomplete() > 0) {
                line(sb, "    not scored: %d label(s) with events not accepted or diverted as late (%d of them alerted)",
                        d.inputIncomplete(), d.incompleteAlerted());
            }
            if (d.incompleteKeyAlerts() > 0) {
                line(sb, "    not scored: %d alert(s) on unlabelled keys with events not accepted or diverted as late",
                        d.incompleteKeyAlerts());
            }
        }
        line(sb, "Consumer lag (records)");
        for (BenchReport.LagSummary g : r.lag()) {
            line(sb, "  %-32s max %,d  at end %,d  (%d samples)", g.group(), g.maxLag(), g.lastLag(), g.samples());
        }
        if (!r.cpu().isEmpty()) {
            line(sb, "CPU per part, first send to end of drain (%,d accepted events)", r.ingest().eventsAccepted());
            for (FleetCpu.PartCpu c : r.cpu()) {
                line(sb, "  %-32s %8.1f s  %5.0f %% of a core  %8.1f us/event  (JIT %.1f s, GC/VM %.1f s, RocksDB %.1f s;"
                                + " %.1f us/event without JIT)", c.part(), c.cpuSeconds(), c.coreShare() * 100,
                        c.microsPerEvent(), c.jitSeconds(), c.gcSeconds(), c.rocksdbSeconds(),
                        c.microsPerEventWithoutJit());
            }
        }
        LateAudit late = r.late();
        line(sb, "Late events (sent late on purpose: %,d; not found in a late topic: %,d%s; on-time events "
                        + "diverted by the fleet: %,d, of which %,d left the driver with less slack than the gateway's "
                        + "hold; late by the client: %,d)", late.intended(), late.missing(),
                late.missing() == 0 ? "" : ", e.g. " + String.join(", ", late.missingSample()),
                late.onTimeDiverted(), late.shortOfSlack(), late.lateByClient());
        for (LateAudit.TopicTally t : late.topics()) {
            line(sb, "  %-32s %,d records: %,d as intended, %,d on-time events diverted by the fleet%s (%,d short "
                            + "of slack), %,d late by the client (sent beyond their lateness bound), %,d extra copies",
                    t.topic(), t.records(), t.asIntended(), t.onTimeDiverted(),
                    t.onTimeDiverted() == 0 ? "" : " (e.g. " + String.join(", ", t.onTimeSample()) + ")",
                    t.shortOfSlack(), t.lateByClient(), t.extraCopies());
        }
        OracleCheck o = r.burstOracle();
        line(sb, "Burst alerts against the accepted on-time orders (%,d orders in orders.clean, %d detections they "
                        + "imply): %d explained, %d field mismatches, %d unexplained, %d missing%s", o.orders(),
                o.expected(), o.explained(), o.fieldMismatches(), o.unexplained(), o.missing(),
                o.problem().isEmpty() ? "" : " (incomplete: " + o.problem() + ")");
        o.samples().forEach(s -> line(sb, "  %s", s));
        EngagementCheck e = r.engagementOracle();
        line(sb, "Engagement drops against the accepted on-time engagement events (%,d events in engagement.clean, %d "
                        + "drops they imply and the fleet owed, %d more not yet due): %d received, %d explained, %d "
                        + "field mismatches, %d unexplained, %d missing%s", e.events(), e.expected(), e.pending(),
                e.alerts(), e.explained(), e.fieldMismatches(), e.unexplained(), e.missing(),
                e.problem().isEmpty() ? "" : " (incomplete: " + e.problem() + ")");
        e.samples().forEach(s -> line(sb, "  %s", s));
        line(sb, "Targets (docs/PERFORMANCE.md#targets)");
        for (TargetCheck t : r.targets()) {
            line(sb, "  [%-24s] %s%n      measured: %s", t.verdict(), t.target(), t.measured());
        }
        r.notes().forEach(n -> line(sb, "Note: %s", n));
        return sb.toString();
    }

    public static String html(BenchReport r) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>fleet-bench report</title>")
                .append("<style>body{font-family:sans-serif;margin:24px;max-width:1100px}table{border-collapse:collapse;")
                .append("margin:8px 0 20px}td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px;text-align:left}")
                .append("th{background:#f3f3f3}.MET{color:#176b1e;font-weight:bold}.NOT{color:#b00020;font-weight:bold}")
                .append("svg{display:block;margin:8px 0 18px;border:1px solid #eee}</style></head><body>")
                .append("<h1>fleet-bench report</h1>");
        table(h, "Run", List.of("setting", "value"), r.run().entrySet().stream()
                .map(e -> List.of(e.getKey(), String.valueOf(e.getValue()))).toList());
        h.append("<h2>Targets (docs/PERFORMANCE.md#targets)</h2>");
        table(h, null, List.of("target", "measured", "verdict"), r.targets().stream()
                .map(t -> List.of(t.target(), t.measured(), t.verdict())).toList());
        h.append("<h2>Ingest</h2><pre>").append(SvgChart.esc(table(r).split("Detection")[0])).append("</pre>");
        List<double[]> throughput = new ArrayList<>();
        List<double[]> p50 = new ArrayList<>();
        List<double[]> p99 = new ArrayList<>();
        List<double[]> max = new ArrayList<>();
        double previous = 0;
        for (Timeline.Point p : r.timeline()) {
            double width = Math.max(0.1, p.second() - previous);
            throughput.add(new double[]{p.second(), p.acceptedEvents() / width});
            previous = p.second();
            if (p.requests() > 0) {
                p50.add(new double[]{p.second(), p.p50Ms()});
                p99.add(new double[]{p.second(), p.p99Ms()});
                max.add(new double[]{p.second(), p.maxMs()});
            }
        }
        h.append(new SvgChart("Accepted events per second", "seconds since start", "events/s", false, false)
                .render(List.of(new SvgChart.Series("accepted events/s", COLORS[0], throughput, false))));
        h.append(new SvgChart("Request latency over time", "seconds since start", "ms (log)", true, false)
                .render(List.of(new SvgChart.Series("p50", COLORS[0], p50, false),
                        new SvgChart.Series("p99", COLORS[3], p99, false),
                        new SvgChart.Series("max", COLORS[1], max, false))));
        h.append(new SvgChart("Request latency distribution", "percentile", "ms (log)", true, true)
                .render(List.of(new SvgChart.Series("latency", COLORS[0], r.latencySpectrum().stream()
                        .map(s -> new double[]{s.percentile(), s.latencyMs()}).toList(), false))));
        h.append("<h2>Detection</h2>");
        table(h, null, List.of("type", "expected", "found", "missed", "near-misses", "flagged", "other false alerts",
                "duplicate deliveries", "id mismatches", "field mismatches", "recall", "precision",
                "latency p50 / p99 / max ms"), r.detection().stream().map(d -> List.of(d.type(),
                "" + d.expected(), "" + d.found(), String.join(" ", d.missed()), "" + d.nearMisses(),
                "" + d.nearMissesFlagged(), "" + d.otherFalseAlerts(), "" + d.duplicateDeliveries(),
                "" + d.idMismatches(), "" + d.fieldMismatches(), ratio(d.recall()), ratio(d.precision()),
                String.format(Locale.ROOT, "%.0f / %.0f / %.0f", d.latency().p50Ms(), d.latency().p99Ms(),
                        d.latency().maxMs()))).toList());
        Map<String, List<double[]>> latencyByType = new LinkedHashMap<>();
        int index = 0;
        for (LabelOutcome o : r.labels()) {
            if (o.latencyMs() != null) {
                latencyByType.computeIfAbsent(o.type(), k -> new ArrayList<>())
                        .add(new double[]{index, o.latencyMs()});
            }
            index++;
        }
        List<SvgChart.Series> latencySeries = new ArrayList<>();
        int c = 0;
        for (Map.Entry<String, List<double[]>> e : latencyByType.entrySet()) {
            latencySeries.add(new SvgChart.Series(e.getKey(), COLORS[c++ % COLORS.length], e.getValue(), true));
        }
        h.append(new SvgChart("Detection latency per episode (SSE arrival - ack of last event)", "label #", "ms",
                false, false).render(latencySeries));
        table(h, "Labels", List.of("label", "variant", "key", "must alert", "alerts", "deliveries", "id ok",
                "latency ms", "field mismatches / missed rule", "correct"), r.labels().stream().map(o -> List.of(
                o.labelId(), o.variant(), o.key(), "" + o.mustAlert(), "" + o.alerts(), "" + o.deliveries(),
                o.mustAlert() ? "" + o.idMatches() : "", o.latencyMs() == null ? "" : "" + o.latencyMs(),
                o.mustAlert() ? String.join("; ", o.fieldMismatches()) : String.valueOf(o.missedRule()),
                o.correct() ? "yes" : "NO")).toList());
        LateAudit late = r.late();
        h.append("<h2>Late events</h2><p>").append(late.intended()).append(" sent late on purpose, ")
                .append(late.missing()).append(" of them found in no late topic. Of the other events in late topics, ")
                .append(late.onTimeDiverted()).append(" were sent within their lateness bound and diverted by the fleet")
                .append(" (these count against it; ").append(late.shortOfSlack())
                .append(" of them left the driver with less slack than the gateway's hold), ")
                .append(late.lateByClient()).append(" were late by the client")
                .append(" (put on the wire beyond their lateness bound after their event time).</p>");
        table(h, null, List.of("topic", "records of this run", "as intended", "on-time events diverted by the fleet",
                "of them short of slack", "late by the client", "extra copies", "examples (diverted by the fleet)"),
                late.topics().stream().map(t -> List.of(t.topic(), "" + t.records(), "" + t.asIntended(),
                        "" + t.onTimeDiverted(), "" + t.shortOfSlack(), "" + t.lateByClient(), "" + t.extraCopies(),
                        String.join(", ", t.onTimeSample()))).toList());
        OracleCheck oracle = r.burstOracle();
        h.append("<h2>Burst alerts against the accepted on-time orders</h2><p>The detector's engine run offline over "
                + "the run's orders in orders.clean.</p>");
        table(h, null, List.of("orders", "detections implied", "alerts", "explained", "field mismatches",
                "unexplained", "missing", "examples", "problem"), List.of(List.of("" + oracle.orders(),
                "" + oracle.expected(), "" + oracle.alerts(), "" + oracle.explained(), "" + oracle.fieldMismatches(),
                "" + oracle.unexplained(), "" + oracle.missing(), String.join("; ", oracle.samples()),
                oracle.problem())));
        EngagementCheck engagement = r.engagementOracle();
        h.append("<h2>Engagement drops against the accepted on-time engagement events</h2><p>session-analytics' "
                + "engine run offline over the run's events in engagement.clean; drops of sessions the fleet may not "
                + "have closed yet are pending.</p>");
        table(h, null, List.of("events", "drops owed", "pending", "alerts", "explained", "field mismatches",
                "unexplained", "missing", "examples", "problem"), List.of(List.of("" + engagement.events(),
                "" + engagement.expected(), "" + engagement.pending(), "" + engagement.alerts(),
                "" + engagement.explained(), "" + engagement.fieldMismatches(), "" + engagement.unexplained(),
                "" + engagement.missing(), String.join("; ", engagement.samples()), engagement.problem())));
        if (!r.cpu().isEmpty()) {
            h.append("<h2>CPU per part</h2><p>From the first send to the end of the drain, per accepted event; JIT: the"
                    + " compiler threads, GC/VM: the collector and VM threads, RocksDB: its flush and compaction threads"
                    + " (per-thread /proc figures).</p>");
            table(h, null, List.of("part", "CPU seconds", "share of a core", "µs per event", "JIT seconds",
                    "GC/VM seconds", "RocksDB seconds", "µs per event without JIT"), r.cpu().stream()
                    .map(part -> List.of(part.part(), String.format(Locale.ROOT, "%.1f", part.cpuSeconds()),
                            String.format(Locale.ROOT, "%.0f %%", part.coreShare() * 100),
                            String.format(Locale.ROOT, "%.1f", part.microsPerEvent()),
                            String.format(Locale.ROOT, "%.1f", part.jitSeconds()),
                            String.format(Locale.ROOT, "%.1f", part.gcSeconds()),
                            String.format(Locale.ROOT, "%.1f", part.rocksdbSeconds()),
                            String.format(Locale.ROOT, "%.1f", part.microsPerEventWithoutJit()))).toList());
        }
        h.append("<h2>Consumer lag</h2>");
        table(h, null, List.of("group", "max", "at end", "samples"), r.lag().stream().map(g -> List.of(g.group(),
                String.format(Locale.ROOT, "%,d", g.maxLag()), String.format(Locale.ROOT, "%,d", g.lastLag()),
                "" + g.samples())).toList());
        Map<String, List<double[]>> lagByGroup = new LinkedHashMap<>();
        for (LagSample s : r.lagSamples()) {
            if (s.lag() >= 0) {
                lagByGroup.computeIfAbsent(s.group(), k -> new ArrayList<>()).add(new double[]{s.atMs() / 1000.0, s.lag()});
            }
        }
        List<SvgChart.Series> lagSeries = new ArrayList<>();
        c = 0;
        for (Map.Entry<String, List<double[]>> e : lagByGroup.entrySet()) {
            lagSeries.add(new SvgChart.Series(e.getKey().replace("streamfleet-", ""), COLORS[c++ % COLORS.length],
                    e.getValue(), false));
        }
        h.append(new SvgChart("Consumer lag over the run", "seconds since start", "records", false, false)
                .render(lagSeries));
        if (!r.notes().isEmpty()) {
            h.append("<h2>Notes</h2><ul>");
            r.notes().forEach(n -> h.append("<li>").append(SvgChart.esc(n)).append("</li>"));
            h.append("</ul>");
        }
        return h.append("</body></html>").toString();
    }

    private static void table(StringBuilder h, String title, List<String> header, List<List<String>> rows) {
        if (title != null) {
            h.append("<h2>").append(SvgChart.esc(title)).append("</h2>");
        }
        h.append("<table><tr>");
        header.forEach(x -> h.append("<th>").append(SvgChart.esc(x)).append("</th>"));
        h.append("</tr>");
        for (List<String> row : rows) {
            h.append("<tr>");
            for (String cell : row) {
                String css = cell.equals(TargetCheck.MET) ? " class=\"MET\""
                        : cell.equals(TargetCheck.NOT_MET) || cell.equals("NO") ? " class=\"NOT\"" : "";
                h.append("<td").append(css).append(">").append(SvgChart.esc(cell)).append("</td>");
            }
            h.append("</tr>");
        }
        h.append("</table>");
    }

    private static String ratio(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%.3f", value);
    }

    private static void line(StringBuilder sb, String format, Object... args) {
        sb.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}

package io.streamfleet.drills;

import io.streamfleet.contracts.json.ContractMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The suite's results as Markdown (pasted into docs/RELIABILITY.md) and JSON. */
public final class DrillReport {

    private DrillReport() {
    }

    public static void write(Path dir, String header, List<DrillResult> results) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("drills.md"), markdown(header, results));
            Files.writeString(dir.resolve("drills.json"),
                    ContractMapper.shared().writerWithDefaultPrettyPrinter().writeValueAsString(results));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the drill report to " + dir, e);
        }
    }

    public static String markdown(String header, List<DrillResult> results) {
        StringBuilder md = new StringBuilder("# Fault drills\n\n").append(header).append("\n\n");
        md.append(table(results));
        for (DrillResult r : results) {
            md.append("\n## ").append(r.drill()).append("\n\n* Load: ").append(r.load()).append('\n');
            md.append("* Gateway answers: ").append(r.gateway()).append(", unacknowledged at the end: ")
                    .append(r.events().unackedAtEnd()).append(" (of which written anyway: ")
                    .append(r.events().unackedButWritten()).append(")\n");
            if (r.events().retriedPastDedupRetention() > 0) {
                md.append("* Engagement events acknowledged on a retry that came past the dedup retention on the"
                        + " compressed clock (once clean, once late, by the dedup contract): ")
                        .append(r.events().retriedPastDedupRetention()).append('\n');
            }
            md.append("* Faults:\n");
            r.faults().forEach(f -> md.append("  * ").append(f).append('\n'));
            if (!r.recoveries().isEmpty()) {
                md.append("\n| Fault | Ready again | Processing again |\n| --- | ---: | ---: |\n");
                for (DrillResult.Recovery rec : r.recoveries()) {
                    md.append(String.format("| %s | %s | %s |%n", rec.fault(), ms(rec.readyMs()),
                            ms(rec.processingMs())));
                }
            }
            if (!r.webhooks().isEmpty()) {
                md.append("\n| Endpoint | Behaviour | Delivered / expected | Requests | Redelivered |"
                        + " Bad signatures | Dead-lettered | Backlog drained after heal |\n");
                md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
                for (DrillResult.WebhookAudit w : r.webhooks()) {
                    md.append(String.format("| %s | %s | %d / %d | %d | %d | %d | %d | %s |%n", w.endpoint(),
                            w.behaviour(), w.delivered(), w.expected(), w.requests(), w.redelivered(),
                            w.badSignatures(), w.deadLettered(), ms(w.drainedAfterHealMs())));
                }
            }
            if (!r.notes().isEmpty()) {
                md.append('\n');
                r.notes().forEach(n -> md.append("* ").append(n).append('\n'));
            }
            md.append("\n* Verdict: ").append(r.passed() ? "all checks held" : "FAILED")
                    .append('\n');
            r.problems().forEach(p -> md.append("  * ").append(p).append('\n'));
        }
        return md.toString();
    }

    /**
     * One line per drill. A drill passes only when every count that is a failure is zero: lost, duplicated,
     * on-time events diverted late, missing (expected − found), alert duplicates, unexpected alerts, SSE misses and
     * duplicates — and every webhook endpoint got every expected alert.
     */
    static String table(List<DrillResult> results) {
        StringBuilder md = new StringBuilder();
        md.append("| Drill | Verdict | Acked events | Lost | Duplicated | Re-sent acked orders | On-time events diverted late |"
                + " Late as sent | Alerts expected / found | Alert dups | Unexpected | Not judged |"
                + " SSE missing / dup (reconnects) |\n");
        md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (DrillResult r : results) {
            DrillResult.EventAudit e = r.events();
            DrillResult.AlertAudit a = r.alerts();
            DrillResult.SseAudit s = r.sse();
            md.append(String.format("| %s | %s | %d of %d | %d | %d | %d | %d | %d | %d / %d | %d | %d | %d | %d / %d (%d) |%n",
                    r.drill(), r.passed() ? "pass" : "FAIL", e.acked(), e.sent(), e.lost(), e.duplicated(),
                    e.resent(), e.divertedOnTime(), e.divertedAsSent(), a.expected(), a.found(), a.duplicated(),
                    a.unexpected(), a.notJudged(), s.missing(), s.duplicated(), s.reconnects()));
        }
        return md.toString();
    }

    private static String ms(long ms) {
        return ms < 0 ? "–" : String.format("%.1f s", ms / 1e3);
    }

    /** Settings alert-api runs with in drills: retries within seconds, so a drill can wait for them. */
    public static Map<String, List<String>> serviceArgs() {
        return Map.of("alert-api", List.of(
                "--streamfleet.alerts.webhooks.initial-backoff=1s",
                "--streamfleet.alerts.webhooks.backoff-multiplier=2",
                "--streamfleet.alerts.webhooks.max-backoff=4s",
                "--streamfleet.alerts.webhooks.max-attempts=10",
                "--streamfleet.alerts.webhooks.request-timeout=2s",
                "--streamfleet.alerts.webhooks.connect-timeout=1s",
                "--streamfleet.alerts.webhooks.circuit.open-for=3s"));
    }
}

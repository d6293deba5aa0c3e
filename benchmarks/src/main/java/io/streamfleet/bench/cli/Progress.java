package io.streamfleet.bench.cli;

import io.streamfleet.bench.driver.LoadStats;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress bar: redrawn in place once a second on a terminal; on a pipe or in a test, one line every five
 * seconds instead, so logs stay readable.
 */
final class Progress {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final boolean enabled;
    private final boolean inPlace;
    private final long durationMs;
    private final int episodes;
    private long lastLineMs = -5_000;
    private long lastAccepted;
    private long lastAtMs;

    Progress(PrintStream out, String mode, long durationMs, int episodes) {
        this.out = out;
        this.enabled = !mode.equals("off");
        this.inPlace = mode.equals("on") || mode.equals("auto") && System.console() != null;
        this.durationMs = durationMs;
        this.episodes = episodes;
    }

    void update(long elapsedMs, LoadStats stats, int alerted) {
        if (!enabled || !inPlace && elapsedMs - lastLineMs < 5_000) {
            return;
        }
        long accepted = stats.acceptedEvents();
        double rate = elapsedMs > lastAtMs ? (accepted - lastAccepted) * 1000.0 / (elapsedMs - lastAtMs) : 0;
        lastAccepted = accepted;
        lastAtMs = elapsedMs;
        lastLineMs = elapsedMs;
        double done = Math.min(1, Math.max(0, (double) elapsedMs / durationMs));
        int filled = (int) Math.round(done * WIDTH);
        String bar = "=".repeat(filled) + (filled < WIDTH ? ">" + " ".repeat(WIDTH - filled - 1) : "");
        String line = String.format(Locale.ROOT, "[%s] %3.0f%% %4d/%d s  sent %,d  acked %,d  %,.0f ev/s  "
                        + "in-flight %d  episodes alerted %d/%d", bar, done * 100, elapsedMs / 1000, durationMs / 1000,
                stats.sentEvents(), accepted, rate, stats.inFlight(), alerted, episodes);
        if (inPlace) {
            out.print("\r" + line + "   ");
        } else {
            out.println(line);
        }
        out.flush();
    }

    void finish() {
        if (enabled && inPlace) {
            out.println();
        }
    }
}

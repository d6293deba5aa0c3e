package io.streamfleet.bench.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of long work (record, replay): redrawn in place once a second on a terminal, a line every five seconds on
 * a pipe or in a test, as the {@code run} progress bar does.
 */
final class WorkProgress {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final boolean enabled;
    private final boolean inPlace;
    private long lastLineNanos = Long.MIN_VALUE;
    private long lastCount;
    private long lastAtNanos;
    private boolean drawn;

    WorkProgress(PrintStream out, String mode) {
        this.out = out;
        this.enabled = !mode.equals("off");
        this.inPlace = mode.equals("on") || mode.equals("auto") && System.console() != null;
    }

    /**
     * @param fraction of the work done, 0..1
     * @param count    items done so far (their rate is shown)
     */
    void update(long elapsedNanos, double fraction, long count, String unit, String extra) {
        long every = inPlace ? 1_000_000_000L : 5_000_000_000L;
        if (!enabled || lastLineNanos != Long.MIN_VALUE && elapsedNanos - lastLineNanos < every) {
            return;
        }
        double rate = elapsedNanos > lastAtNanos ? (count - lastCount) * 1e9 / (elapsedNanos - lastAtNanos) : 0;
        lastCount = count;
        lastAtNanos = elapsedNanos;
        lastLineNanos = elapsedNanos;
        double done = Math.min(1, Math.max(0, fraction));
        int filled = (int) Math.round(done * WIDTH);
        String bar = "=".repeat(filled) + (filled < WIDTH ? ">" + " ".repeat(WIDTH - filled - 1) : "");
        String line = String.format(Locale.ROOT, "[%s] %3.0f%% %5d s  %,d %s  %,.0f %s/s%s", bar, done * 100,
                elapsedNanos / 1_000_000_000L, count, unit, rate, unit, extra.isEmpty() ? "" : "  " + extra);
        if (inPlace) {
            out.print("\r" + line + "   ");
            drawn = true;
        } else {
            out.println(line);
        }
        out.flush();
    }

    void finish() {
        if (drawn) {
            out.println();
            drawn = false;
        }
    }
}

package io.streamfleet.bench.replay;

import java.util.Locale;

/**
 * When to send each record of a replay. {@code max} sends at once; a factor {@code f} keeps the recorded spacing of
 * record timestamps divided by {@code f} (1 = as recorded, 10 = ten times faster). The replay clock starts at the
 * first record and follows the largest timestamp seen so far, so a record whose timestamp goes backwards is sent
 * without waiting rather than stalling the partitions behind it.
 */
public final class Pacer {

    private final double factor;
    private long firstMs = Long.MIN_VALUE;
    private long maxMs = Long.MIN_VALUE;

    private Pacer(double factor) {
        this.factor = factor;
    }

    public static Pacer max() {
        return new Pacer(Double.POSITIVE_INFINITY);
    }

    public static Pacer factor(double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("speed must be a positive number, was " + factor);
        }
        return new Pacer(factor);
    }

    /** {@code max}, or a positive factor such as {@code 1}, {@code 10}, {@code 0.5} (a trailing {@code x} is fine). */
    public static Pacer parse(String speed) {
        String s = speed.trim().toLowerCase(Locale.ROOT);
        if (s.equals("max")) {
            return max();
        }
        if (s.endsWith("x")) {
            s = s.substring(0, s.length() - 1);
        }
        double f;
        try {
            f = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            f = Double.NaN;
        }
        if (!(f > 0) || Double.isInfinite(f)) {
            throw new IllegalArgumentException("--speed must be 'max' or a positive factor like 1 or 10 (times the "
                    + "recorded pace), was '" + speed + "'");
        }
        return factor(f);
    }

    public boolean unlimited() {
        return Double.isInfinite(factor);
    }

    public String describe() {
        return unlimited() ? "max" : String.format(Locale.ROOT, "%s× recorded pace",
                factor == Math.rint(factor) ? Long.toString((long) factor) : Double.toString(factor));
    }

    /**
     * Nanoseconds to wait before sending a record with this timestamp, {@code elapsedNanos} after the replay
     * started (0 when it is due or late). Call once per record, in sending order.
     */
    public long waitNanos(long timestampMs, long elapsedNanos) {
        if (firstMs == Long.MIN_VALUE) {
            firstMs = timestampMs;
        }
        maxMs = Math.max(maxMs, timestampMs);
        return Math.max(0, dueNanos() - elapsedNanos);
    }

    /** How far the replay is behind its schedule (0 when on time or unlimited). */
    public long behindNanos(long elapsedNanos) {
        return firstMs == Long.MIN_VALUE || unlimited() ? 0 : Math.max(0, elapsedNanos - dueNanos());
    }

    /** Wall time a recorded span of {@code spanMs} takes at this speed (0 for {@code max}). */
    public long wallMs(long spanMs) {
        return unlimited() ? 0 : Math.round(spanMs / factor);
    }

    private long dueNanos() {
        if (unlimited()) {
            return 0;
        }
        double due = (maxMs - firstMs) * 1e6 / factor;
        return due >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) due;
    }
}

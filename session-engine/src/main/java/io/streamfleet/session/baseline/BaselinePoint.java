package io.streamfleet.session.baseline;

/**
 * One closed session as the baseline chart draws it: its ASD against the baseline it was judged by.
 *
 * @param sessionStartMs   session start
 * @param sessionEndMs     session end
 * @param asdMs            the session's average session duration (unrounded)
 * @param baselineBeforeMs the EMA the session was compared with, or null for the user's first session
 * @param drop             whether the session raised an engagement-drop alert
 */
public record BaselinePoint(long sessionStartMs, long sessionEndMs, double asdMs, Double baselineBeforeMs,
                            boolean drop) {
}

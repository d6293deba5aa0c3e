package io.streamfleet.launcher.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How far a part of the local fleet stands back when the machine's cores are all busy: a Unix nice value, 0 (as the
 * launcher) to 19 (last). It only matters under contention; an idle machine gives every part what it asks for.
 *
 * <p>The local fleet runs the request path (broker, gateway, alert-api) at 0 and the Kafka Streams services at
 * {@link #LOCAL_STREAMS_NICE}: they work through a backlog in batches and a few milliseconds of waiting cost them
 * nothing, while a gateway thread that waits behind a commit or a JIT burst of another JVM is a slow answer
 * (README.md, "The two commands"; docs/PERFORMANCE.md#cpu-priority-for-the-request-path-2026-12-07).
 *
 * <p>On Linux each part runs in a session of its own ({@code setsid}), and with the kernel's autogroups on, the
 * scheduler first shares the CPU between sessions, so a process's nice value alone would change nothing; the
 * session's group gets the same value ({@code /proc/PID/autogroup}). Raising a nice value needs no privilege.
 *
 * @param nice 0 to 19
 */
public record CpuPriority(int nice) {

    public static final CpuPriority NORMAL = new CpuPriority(0);
    /** Environment variable of {@code ./fleet up} with the Streams services' nice value (0 turns it off). */
    public static final String STREAMS_NICE_VARIABLE = "STREAMFLEET_FLEET_STREAMS_NICE";
    public static final int LOCAL_STREAMS_NICE = 10;
    private static final Path NICE = Path.of("/usr/bin/nice");

    public CpuPriority {
        if (nice < 0 || nice > 19) {
            throw new IllegalArgumentException("a nice value is between 0 and 19, was " + nice);
        }
    }

    /** The Streams services' priority from {@link #STREAMS_NICE_VARIABLE}, {@link #LOCAL_STREAMS_NICE} if unset. */
    public static CpuPriority streamsFrom(Map<String, String> environment) {
        String value = environment.get(STREAMS_NICE_VARIABLE);
        if (value == null || value.isBlank()) {
            return new CpuPriority(LOCAL_STREAMS_NICE);
        }
        int nice;
        try {
            nice = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(STREAMS_NICE_VARIABLE + " must be a whole number from 0 to 19, was '"
                    + value + "'");
        }
        if (nice < 0 || nice > 19) {
            throw new IllegalArgumentException(STREAMS_NICE_VARIABLE + " must be from 0 (as the gateway) to 19, was "
                    + nice);
        }
        return new CpuPriority(nice);
    }

    public boolean lowered() {
        return nice > 0;
    }

    /** What goes before {@code java} on the command line: {@code nice -n N}, or nothing (normal, or no nice). */
    List<String> commandPrefix() {
        return lowered() && Files.isExecutable(NICE) ? List.of(NICE.toString(), "-n", Integer.toString(nice))
                : List.of();
    }

    /**
     * Gives the started process's own session group this nice value, once the process has left the launcher's group
     * (its {@code setsid} has run); a no-op without autogroups. Waits at most about a second: a process that is
     * still in the launcher's group then is left alone, since writing the value would slow the launcher's group.
     */
    void applyToOwnSession(ProcessHandle process) {
        if (!lowered()) {
            return; // every part but the Streams services: nothing to read or write
        }
        Optional<String> launchers = groupName(Path.of("/proc/self/autogroup"));
        if (launchers.isEmpty()) {
            return;
        }
        Path group = Path.of("/proc", Long.toString(process.pid()), "autogroup");
        for (int attempt = 0; attempt < 100 && process.isAlive(); attempt++) {
            Optional<String> its = groupName(group);
            if (its.isPresent() && !its.equals(launchers)) {
                writeGroupNice(group);
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Without CAP_SYS_ADMIN the kernel takes one such write per 100 ms machine-wide and refuses the others (EAGAIN),
     * and the launcher starts three Streams services in quick succession: so a refused write is tried again.
     */
    private void writeGroupNice(Path group) {
        for (int attempt = 0; attempt < 10; attempt++) {
            try {
                Files.writeString(group, Integer.toString(nice), StandardCharsets.US_ASCII);
                return;
            } catch (IOException | RuntimeException e) {
                // refused for now (the rate limit above; the JDK reports that EAGAIN as a RuntimeException "no bytes
                // written") or for good (a kernel without write support: the process's own nice value still holds)
                try {
                    Thread.sleep(110);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The group's name from a {@code /proc/PID/autogroup} line such as {@code /autogroup-42 nice 0}. */
    static Optional<String> groupName(Path autogroupFile) {
        try {
            String line = Files.readString(autogroupFile, StandardCharsets.US_ASCII).strip();
            return line.isEmpty() ? Optional.empty() : Optional.of(line.split("\\s+")[0]);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}

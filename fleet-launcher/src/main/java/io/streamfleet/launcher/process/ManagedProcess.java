package io.streamfleet.launcher.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A part of the local fleet running as its own JVM process: its output goes to {@code logs/<name>.log}, its pid to
 * {@code pids/<name>.pid}. The command line carries {@code -Dstreamfleet.fleet.part=<name>} so a stale pid file can
 * never make {@code down} kill an unrelated process that reused the pid.
 */
public final class ManagedProcess {

    public static final String PART_MARKER = "-Dstreamfleet.fleet.part=";
    private static final java.io.File SETSID = new java.io.File("/usr/bin/setsid");

    private final String name;
    private final Path logFile;
    private final Path pidFile;

    public ManagedProcess(String name, Path logsDir, Path pidsDir) {
        this.name = name;
        this.logFile = logsDir.resolve(name + ".log");
        this.pidFile = pidsDir.resolve(name + ".pid");
    }

    public String name() {
        return name;
    }

    public Path logFile() {
        return logFile;
    }

    /** The java binary of the running JVM, so every part runs on the same JDK as the launcher. */
    public static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** Starts {@code java <jvmArgs> <args>} with the marker, extra environment and output appended to the log. */
    public ProcessHandle start(List<String> jvmArgs, List<String> args, Map<String, String> env, Path workDir) {
        return start(jvmArgs, args, env, workDir, CpuPriority.NORMAL);
    }

    /** As {@link #start(List, List, Map, Path)}, the process (and its own session's group) at the given priority. */
    public ProcessHandle start(List<String> jvmArgs, List<String> args, Map<String, String> env, Path workDir,
                               CpuPriority priority) {
        List<String> command = new ArrayList<>();
        // own session: a Ctrl-C in the terminal reaches only the launcher, which then stops parts in order
        boolean ownSession = SETSID.canExecute();
        if (ownSession) {
            command.add(SETSID.getPath());
        }
        command.addAll(priority.commandPrefix());
        command.add(javaBinary());
        command.add(PART_MARKER + name);
        command.addAll(jvmArgs);
        command.addAll(args);
        try {
            Files.createDirectories(logFile.getParent());
            Files.createDirectories(pidFile.getParent());
            Files.writeString(logFile, "=== " + java.time.Instant.now() + " starting " + name + "\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(env);
            Process process = builder.start();
            Files.writeString(pidFile, Long.toString(process.pid()), StandardCharsets.UTF_8);
            if (ownSession) {
                priority.applyToOwnSession(process.toHandle());
            }
            return process.toHandle();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /** The running process recorded in the pid file, if it is alive and really is this part. */
    public Optional<ProcessHandle> running() {
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().commandLine().map(c -> c.contains(PART_MARKER + name)).orElse(true));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Stops the process gracefully (SIGTERM), forcibly after the timeout; removes the pid file. */
    public boolean stop(Duration timeout) {
        Optional<ProcessHandle> handle = running();
        boolean stopped = handle.map(h -> terminate(h, timeout)).orElse(true);
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return stopped;
    }

    /** Sends SIGTERM without waiting (so several parts can stop in parallel). */
    public void requestStop() {
        running().ifPresent(ProcessHandle::destroy);
    }

    private static boolean terminate(ProcessHandle handle, Duration timeout) {
        handle.destroy();
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            handle.descendants().forEach(ProcessHandle::destroyForcibly);
            handle.destroyForcibly();
            return false;
        }
    }

    /** The last lines of the log, for error messages. */
    public String logTail(int lines) {
        try {
            if (!Files.exists(logFile)) {
                return "(no log)";
            }
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }
}

package io.streamfleet.testkit.process;

import io.streamfleet.launcher.process.HealthProbe;
import io.streamfleet.launcher.process.ManagedProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A service's jar (or any main class) in a JVM of its own, for tests that kill and restart it. It is started the way
 * the launcher starts the fleet's parts ({@link ManagedProcess}: output to {@code <logDir>/<name>.log}); readiness is
 * the service's readiness group ({@link HealthProbe}); every failure message carries the last lines of the log.
 * {@link #close()} always leaves no process behind, and a JVM that ends without it still kills what runs.
 */
public final class ServiceProcess implements AutoCloseable {

    static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final int TAIL_LINES = 60;
    /** Between readiness probes: each runs the service's health checks, which a loaded machine answers slowly. */
    private static final long PROBE_INTERVAL_MS = 500;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Set<ProcessHandle> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        // a test JVM that dies (or a run someone aborts) must not leave services holding ports and state dirs
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(ProcessHandle::destroyForcibly),
                "service-process-reaper"));
    }

    private final ManagedProcess process;
    private final ProcessHandle handle;
    private final int port;
    private final Supplier<String> diagnostics;

    ServiceProcess(ManagedProcess process, ProcessHandle handle, int port, Supplier<String> diagnostics) {
        this.process = process;
        this.handle = handle;
        this.port = port;
        this.diagnostics = diagnostics;
        RUNNING.add(handle);
    }

    /** {@code java -jar <jar>}. */
    public static ServiceProcessBuilder jar(Path jar) {
        return new ServiceProcessBuilder(jar.getFileName().toString().replace(".jar", ""),
                "-jar", jar.toAbsolutePath().toString());
    }

    /** {@code java -cp <this test JVM's class path> <main>}: a test's own main class in a JVM that can be killed. */
    public static ServiceProcessBuilder mainClass(Class<?> main) {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return new ServiceProcessBuilder(main.getSimpleName(), "-cp", classPath, main.getName());
    }

    public String name() {
        return process.name();
    }

    /** The HTTP port its readiness is probed on. */
    public int port() {
        if (port < 0) {
            throw new IllegalStateException(name() + " was started without an HTTP port");
        }
        return port;
    }

    public Path logFile() {
        return process.logFile();
    }

    public boolean isAlive() {
        return handle.isAlive();
    }

    /** Waits until the readiness group says UP; fails at once if the process exits. */
    public ServiceProcess awaitReady(Duration timeout) {
        return awaitReadiness("UP", timeout);
    }

    /** Waits until the readiness group reports {@code expected} (UP, DOWN, OUT_OF_SERVICE). */
    public ServiceProcess awaitReadiness(String expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "NOT ASKED";
        while (System.nanoTime() < deadline) {
            if (!isAlive()) {
                throw failure("exited while waiting for readiness " + expected);
            }
            last = HealthProbe.readiness(port());
            if (expected.equals(last)) {
                return this;
            }
            pause(PROBE_INTERVAL_MS);
        }
        throw failure("readiness " + last + ", not " + expected + ", after " + timeout.toSeconds() + " s");
    }

    /** Waits until the log contains {@code text}. */
    public void awaitLog(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!log().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw failure("never logged '" + text + "' within " + timeout.toSeconds() + " s");
            }
            pause(250);
        }
    }

    /** The whole log so far. */
    public String log() {
        try {
            return Files.exists(logFile()) ? Files.readString(logFile(), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String logTail(int lines) {
        return process.logTail(lines);
    }

    /** GET {@code http://localhost:<port><path>}. */
    public HttpResponse<String> get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port() + path))
                .timeout(Duration.ofSeconds(30)).GET().build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw failure("GET " + path + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: GET " + path, e);
        }
    }

    /** SIGKILL, and wait until it is gone: no shutdown hook, no close, no commit, a transaction left open. */
    public void kill() {
        handle.destroyForcibly();
        handle.onExit().join();
        forget();
    }

    /** SIGTERM without waiting, so several processes can stop at once. */
    public void requestStop() {
        handle.destroy();
    }

    /** SIGTERM and wait for a graceful end; SIGKILL after the timeout. True if it ended gracefully. */
    public boolean stop(Duration timeout) {
        boolean graceful = process.stop(timeout);
        if (handle.isAlive()) { // its pid file was gone, so the launcher's stop did not find it
            handle.destroyForcibly();
            graceful = false;
        }
        handle.onExit().join();
        forget();
        return graceful;
    }

    /** Stops the process if it still runs (gracefully, forcibly after {@link #STOP_TIMEOUT}). */
    @Override
    public void close() {
        if (isAlive()) {
            stop(STOP_TIMEOUT);
        } else {
            forget();
        }
    }

    private void forget() {
        RUNNING.remove(handle);
        process.stop(Duration.ZERO); // nothing left to stop: removes the pid file
    }

    private AssertionError failure(String what) {
        String more = diagnostics.get();
        return new AssertionError(name() + " " + what + "; last lines of " + logFile() + ":\n" + logTail(TAIL_LINES)
                + (more.isEmpty() ? "" : "\n" + more));
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }
}

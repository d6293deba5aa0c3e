package io.streamfleet.testkit.process;

import io.streamfleet.launcher.process.ManagedProcess;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** What to start as a {@link ServiceProcess}: JVM options, arguments, environment, its HTTP port and its log's name. */
public final class ServiceProcessBuilder {

    /** Logs and pid files of test processes, next to the module's other test output. */
    public static final Path DEFAULT_LOG_DIR = Path.of("target", "service-processes");

    private final List<String> launch;
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> env = new HashMap<>();
    private String name;
    private Path logDir = DEFAULT_LOG_DIR;
    private Path workDir = Path.of("").toAbsolutePath();
    private int port = -1;
    private Supplier<String> diagnostics = () -> "";

    ServiceProcessBuilder(String name, String... launch) {
        this.name = name;
        this.launch = List.of(launch);
    }

    /** The log's name ({@code <logDir>/<name>.log}); unique per run, so a restart's log does not mix with the first. */
    public ServiceProcessBuilder name(String name) {
        this.name = name;
        return this;
    }

    public ServiceProcessBuilder logDir(Path logDir) {
        this.logDir = logDir;
        return this;
    }

    /** The working directory, where relative paths in its settings land; the test JVM's by default. */
    public ServiceProcessBuilder workDir(Path workDir) {
        this.workDir = workDir;
        return this;
    }

    public ServiceProcessBuilder jvmArgs(String... jvmArgs) {
        this.jvmArgs.addAll(List.of(jvmArgs));
        return this;
    }

    public ServiceProcessBuilder args(String... args) {
        this.args.addAll(List.of(args));
        return this;
    }

    /** A Spring property as a command-line argument ({@code --key=value}), which outranks application.yaml. */
    public ServiceProcessBuilder property(String key, Object value) {
        args.add("--" + key + "=" + value);
        return this;
    }

    public ServiceProcessBuilder env(String key, String value) {
        env.put(key, value);
        return this;
    }

    public ServiceProcessBuilder env(Map<String, String> variables) {
        env.putAll(variables);
        return this;
    }

    /** The HTTP port the service listens on (set it with a property or the environment): readiness is probed there. */
    public ServiceProcessBuilder httpPort(int port) {
        this.port = port;
        return this;
    }

    /** More to show when the process fails a wait, such as the broker's log. */
    public ServiceProcessBuilder diagnostics(Supplier<String> diagnostics) {
        this.diagnostics = diagnostics;
        return this;
    }

    public ServiceProcess start() {
        ManagedProcess process = new ManagedProcess(name, logDir, logDir);
        List<String> arguments = new ArrayList<>(launch);
        arguments.addAll(args);
        ProcessHandle handle = process.start(jvmArgs, arguments, env, workDir);
        return new ServiceProcess(process, handle, port, diagnostics);
    }
}

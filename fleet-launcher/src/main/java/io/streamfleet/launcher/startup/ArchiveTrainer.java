package io.streamfleet.launcher.startup;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Makes a start-up archive the way Spring Boot documents class data sharing: extract the fat jar
 * ({@code java -Djarmode=tools -jar app.jar extract}), run the extracted application once with
 * {@code -XX:ArchiveClassesAtExit} and {@code -Dspring.context.exit=onRefresh}, then stamp the result.
 *
 * <p>{@code onRefresh} ends the JVM once every singleton is created, before lifecycle beans start: no Kafka Streams
 * client, consumer loop or web server runs. Beans that create Kafka clients still do so, so the caller points the run
 * at a loopback port where nothing listens: it needs no broker and writes nothing anywhere. The archive is written
 * under a temporary name and only renamed once the run succeeded, so a killed run never leaves a truncated archive
 * (which JDK 17 would map and crash on).
 */
public final class ArchiveTrainer {

    private static final Duration EXTRACT_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration TRAINING_TIMEOUT = Duration.ofSeconds(300);

    private final String java;

    /** @param java the java binary that will run the services (an archive only fits the JVM that wrote it) */
    public ArchiveTrainer(String java) {
        this.java = java;
    }

    /** The result of one attempt: whether a usable archive exists now, and if not why. */
    public record Outcome(boolean created, String detail) {
    }

    /**
     * Makes the archive anew (whatever was in its folder goes first). On any failure the folder is left without a
     * stamp, so the service starts from its fat jar.
     *
     * @param jvmOptions the JVM options the service runs with (heap, GC: the archive must fit them)
     * @param env        the service's environment for the training run
     */
    public Outcome create(StartupArchive archive, List<String> jvmOptions, Map<String, String> env) {
        archive.deleteAll();
        Path part = archive.archive().resolveSibling(archive.archive().getFileName() + ".part");
        try {
            Files.createDirectories(archive.dir());
            int extracted = run(List.of(java, "-Djarmode=tools", "-jar", archive.jar().toString(), "extract",
                    "--destination", archive.dir().toString(), "--force"), Map.of(), archive, EXTRACT_TIMEOUT);
            if (extracted != 0 || !Files.isRegularFile(archive.extractedJar())) {
                return failed(archive, "extracting the jar failed (exit " + extracted + ")");
            }
            List<String> command = new ArrayList<>();
            command.add(java);
            command.addAll(jvmOptions);
            command.addAll(List.of("-XX:ArchiveClassesAtExit=" + part, "-Dspring.context.exit=onRefresh",
                    "-jar", archive.extractedJar().toString()));
            int trained = run(command, env, archive, TRAINING_TIMEOUT);
            if (trained != 0 || !Files.isRegularFile(part) || Files.size(part) == 0) {
                return failed(archive, "the training run failed (exit " + trained + ")");
            }
            Files.move(part, archive.archive(), StandardCopyOption.ATOMIC_MOVE);
            archive.stamp(StartupArchive.currentJvm());
            return new Outcome(true, "created (" + Files.size(archive.archive()) / (1024 * 1024) + " MB)");
        } catch (IOException | UncheckedIOException e) {
            return failed(archive, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(archive, "interrupted");
        }
    }

    private static Outcome failed(StartupArchive archive, String why) {
        archive.discard();
        return new Outcome(false, why + "; see " + archive.trainingLog());
    }

    private static int run(List<String> command, Map<String, String> env, StartupArchive archive, Duration timeout)
            throws IOException, InterruptedException {
        Files.writeString(archive.trainingLog(), "=== " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(archive.dir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(archive.trainingLog().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            return -1;
        }
        return process.exitValue();
    }
}

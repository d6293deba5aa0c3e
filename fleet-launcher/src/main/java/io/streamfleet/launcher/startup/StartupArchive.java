package io.streamfleet.launcher.startup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A service's start-up archive, next to its jar in {@code <module>/target/startup/}: the jar extracted by Spring Boot's
 * {@code -Djarmode=tools extract} (the application jar plus {@code lib/}) and a dynamic class-data-sharing archive
 * ({@code app.jsa}) of the classes a start loads. Class data sharing cannot map classes from the jars nested in a fat
 * jar, hence the extracted copy.
 *
 * <p>A service starts with the archive only while it is {@linkplain #usable() usable}; otherwise it starts from its
 * fat jar exactly as without archives. An archive is never repaired in place: it is made anew or discarded.
 *
 * @param jar the service's fat jar ({@code <module>/target/<module>-exec.jar})
 * @param dir where the extracted jar, the archive and its stamp live
 */
public record StartupArchive(Path jar, Path dir) {

    /** The archive of a fat jar, in {@code startup/} next to it. */
    public static StartupArchive forJar(Path jar) {
        return new StartupArchive(jar, jar.resolveSibling("startup"));
    }

    /** The extracted application jar; its manifest names the libraries in {@code lib/}. */
    public Path extractedJar() {
        return dir.resolve(jar.getFileName());
    }

    /** The class-data-sharing archive. */
    public Path archive() {
        return dir.resolve("app.jsa");
    }

    /** Output of the extraction and of the training run, for when an archive could not be made. */
    public Path trainingLog() {
        return dir.resolve("training.log");
    }

    Path stampFile() {
        return dir.resolve("stamp.properties");
    }

    /** True when the archive was made from the current jar by this JVM and is intact. */
    public boolean usable() {
        return usable(currentJvm());
    }

    boolean usable(String jvm) {
        return Files.isRegularFile(extractedJar()) && ArchiveStamp.read(stampFile())
                .flatMap(stamp -> ArchiveStamp.of(jar, archive(), jvm).filter(stamp::equals))
                .isPresent();
    }

    /** The arguments after the JVM options that start the service: with the archive if usable, else the fat jar. */
    public List<String> launchArgs() {
        return launchArgs(usable());
    }

    /** The arguments that start the service with the archive, or from the fat jar when {@code withArchive} is false. */
    public List<String> launchArgs(boolean withArchive) {
        if (!withArchive) {
            return List.of("-jar", jar.toString());
        }
        return List.of("-XX:SharedArchiveFile=" + archive(), "-jar", extractedJar().toString());
    }

    /** Records that the archive matches the jar as it is now; called once a training run wrote the archive. */
    void stamp(String jvm) {
        ArchiveStamp.of(jar, archive(), jvm)
                .orElseThrow(() -> new IllegalStateException("no archive to stamp in " + dir))
                .write(stampFile());
    }

    /** Makes the archive unusable at once (its stamp goes); the files stay until the next {@link #deleteAll()}. */
    public void discard() {
        try {
            Files.deleteIfExists(stampFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot discard the start-up archive in " + dir, e);
        }
    }

    /** Deletes the folder with everything in it. */
    void deleteAll() {
        if (!Files.exists(dir)) {
            return;
        }
        discard();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /** The JVM the launcher runs on, which is also the one every part runs on ({@code ManagedProcess.javaBinary}). */
    public static String currentJvm() {
        return System.getProperty("java.home") + " " + System.getProperty("java.vm.version");
    }
}

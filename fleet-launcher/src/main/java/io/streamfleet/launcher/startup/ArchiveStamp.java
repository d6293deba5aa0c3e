package io.streamfleet.launcher.startup;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.Properties;

/**
 * What a start-up archive was made from: the service jar and the archive file (size and modification time of each)
 * and the JVM that wrote the archive. The archive may be used only while all of these still hold: a rebuilt jar means
 * the extracted classes are old code, another JVM build cannot map the archive, and a truncated or rewritten archive
 * crashes JDK 17 at start-up (SIGBUS) instead of being ignored.
 */
record ArchiveStamp(long jarSize, long jarModifiedMs, long archiveSize, long archiveModifiedMs, String jvm) {

    /** The stamp the files have now, or empty if one of them is missing. */
    static Optional<ArchiveStamp> of(Path jar, Path archive, String jvm) {
        try {
            BasicFileAttributes jarAttributes = Files.readAttributes(jar, BasicFileAttributes.class);
            BasicFileAttributes archiveAttributes = Files.readAttributes(archive, BasicFileAttributes.class);
            return Optional.of(new ArchiveStamp(jarAttributes.size(), jarAttributes.lastModifiedTime().toMillis(),
                    archiveAttributes.size(), archiveAttributes.lastModifiedTime().toMillis(), jvm));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The stamp written when the archive was made, or empty if there is none or it cannot be read. */
    static Optional<ArchiveStamp> read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
            return Optional.of(new ArchiveStamp(Long.parseLong(properties.getProperty("jar.size")),
                    Long.parseLong(properties.getProperty("jar.modified")),
                    Long.parseLong(properties.getProperty("archive.size")),
                    Long.parseLong(properties.getProperty("archive.modified")),
                    properties.getProperty("jvm", "")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Writes the stamp through a temporary file, so a half-written stamp never exists under its name. */
    void write(Path file) {
        Properties properties = new Properties();
        properties.setProperty("jar.size", Long.toString(jarSize));
        properties.setProperty("jar.modified", Long.toString(jarModifiedMs));
        properties.setProperty("archive.size", Long.toString(archiveSize));
        properties.setProperty("archive.modified", Long.toString(archiveModifiedMs));
        properties.setProperty("jvm", jvm);
        Path part = file.resolveSibling(file.getFileName() + ".part");
        try (Writer writer = Files.newBufferedWriter(part, StandardCharsets.UTF_8)) {
            properties.store(writer, "start-up archive stamp (written by the fleet launcher; see docs/recovery.md)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + part, e);
        }
        try {
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}

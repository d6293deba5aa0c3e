package io.streamfleet.launcher.startup;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.assertj.core.api.Assertions.assertThat;

class StartupArchiveTest {

    private static final String JVM = "/opt/jdk-17 17.0.15+6";

    @TempDir
    Path target;

    private StartupArchive archive;

    @BeforeEach
    void fatJar() throws Exception {
        Path jar = Files.write(target.resolve("cep-detector-exec.jar"), new byte[]{1, 2, 3});
        archive = StartupArchive.forJar(jar);
    }

    @Test
    void shouldKeepTheArchiveInAStartupFolderNextToTheJar() {
        assertThat(archive.dir()).isEqualTo(target.resolve("startup"));
        assertThat(archive.extractedJar()).isEqualTo(target.resolve("startup/cep-detector-exec.jar"));
        assertThat(archive.archive()).isEqualTo(target.resolve("startup/app.jsa"));
    }

    @Test
    void shouldStartFromTheFatJarWhenThereIsNoArchive() {
        assertThat(archive.usable(JVM)).isFalse();
        assertThat(archive.launchArgs()).containsExactly("-jar", target.resolve("cep-detector-exec.jar").toString());
    }

    @Test
    void shouldStartTheExtractedJarWithTheArchiveWhenItWasMadeFromThisJarByThisJvm() throws Exception {
        made();

        assertThat(archive.usable(JVM)).isTrue();
        assertThat(archive.launchArgs(true)).containsExactly(
                "-XX:SharedArchiveFile=" + target.resolve("startup/app.jsa"),
                "-jar", target.resolve("startup/cep-detector-exec.jar").toString());
    }

    @Test
    void shouldIgnoreTheArchiveWhenTheJarWasRebuiltAfterIt() throws Exception {
        made();
        Files.write(archive.jar(), new byte[]{1, 2, 3, 4});
        assertThat(archive.usable(JVM)).isFalse();

        made();
        Files.setLastModifiedTime(archive.jar(), FileTime.fromMillis(Files.getLastModifiedTime(archive.jar())
                .toMillis() + 2_000));
        assertThat(archive.usable(JVM)).isFalse();
    }

    @Test
    void shouldIgnoreTheArchiveWhenAnotherJvmMadeIt() throws Exception {
        made();
        assertThat(archive.usable("/opt/jdk-21 21.0.5+11")).isFalse();
        assertThat(archive.usable("/usr/lib/jvm/other-17 17.0.15+6")).isFalse();
    }

    @Test
    void shouldIgnoreATruncatedOrRewrittenArchiveWhichJdk17WouldCrashOn() throws Exception {
        made();
        Files.write(archive.archive(), new byte[]{42});
        assertThat(archive.usable(JVM)).isFalse();

        made();
        Files.setLastModifiedTime(archive.archive(), FileTime.fromMillis(5_000));
        assertThat(archive.usable(JVM)).isFalse();
    }

    @Test
    void shouldIgnoreTheArchiveWhenTheExtractedJarOrTheArchiveIsGone() throws Exception {
        made();
        Files.delete(archive.extractedJar());
        assertThat(archive.usable(JVM)).isFalse();

        made();
        Files.delete(archive.archive());
        assertThat(archive.usable(JVM)).isFalse();
    }

    @Test
    void shouldIgnoreTheArchiveWhenItsStampIsMissingOrUnreadable() throws Exception {
        made();
        Files.writeString(archive.stampFile(), "jar.size=three\n");
        assertThat(archive.usable(JVM)).isFalse();

        made();
        archive.discard();
        assertThat(archive.usable(JVM)).isFalse();
        assertThat(archive.archive()).exists();
    }

    @Test
    void shouldDeleteEverythingOfTheArchiveButNotTheJar() throws Exception {
        made();
        archive.deleteAll();
        assertThat(archive.dir()).doesNotExist();
        assertThat(archive.jar()).exists();
    }

    /** What a successful training leaves: extracted jar, archive, stamp. */
    private void made() throws Exception {
        Files.createDirectories(archive.dir().resolve("lib"));
        Files.write(archive.extractedJar(), new byte[]{9});
        Files.write(archive.archive(), new byte[]{7, 7, 7, 7});
        archive.stamp(JVM);
    }
}

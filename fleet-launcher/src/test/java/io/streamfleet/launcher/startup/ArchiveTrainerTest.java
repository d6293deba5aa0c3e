package io.streamfleet.launcher.startup;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ArchiveTrainerTest {

    /** Stands in for java: 'extract' creates the extracted jar, a training run writes the archive it is asked for. */
    private static final String FAKE_JAVA = """
            #!/bin/sh
            echo "$*" >> "$(dirname "$0")/calls"
            dest=""; jar=""; out=""; prev=""
            for arg in "$@"; do
              [ "$prev" = "--destination" ] && dest="$arg"
              [ "$prev" = "-jar" ] && jar="$arg"
              case "$arg" in -XX:ArchiveClassesAtExit=*) out="${arg#-XX:ArchiveClassesAtExit=}" ;; esac
              prev="$arg"
            done
            if [ -n "$dest" ]; then touch "$dest/$(basename "$jar")"; exit 0; fi
            printf 'classes' > "$out"
            [ "$FAKE_TRAINING" = "fail" ] && exit 1
            exit 0
            """;

    @TempDir
    Path dir;

    private StartupArchive archive;
    private ArchiveTrainer trainer;

    @BeforeEach
    void fatJarAndFakeJava() throws Exception {
        Path target = Files.createDirectories(dir.resolve("stream-processor/target"));
        archive = StartupArchive.forJar(Files.write(target.resolve("stream-processor-exec.jar"), new byte[]{1}));
        Path java = Files.writeString(dir.resolve("java"), FAKE_JAVA);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        trainer = new ArchiveTrainer(java.toString());
    }

    @Test
    void shouldTrainOnceRefreshedWithTheServiceOptionsAndStampTheArchiveSoItIsUsed() throws Exception {
        ArchiveTrainer.Outcome outcome = trainer.create(archive, List.of("-Xmx512m", "-XX:+UseSerialGC"), Map.of());

        assertThat(outcome.created()).as(outcome.detail()).isTrue();
        assertThat(archive.usable()).isTrue();
        assertThat(archive.launchArgs()).contains("-XX:SharedArchiveFile=" + archive.archive());
        List<String> calls = Files.readAllLines(dir.resolve("calls"));
        assertThat(calls.get(0)).startsWith("-Djarmode=tools -jar " + archive.jar() + " extract --destination "
                + archive.dir());
        assertThat(calls.get(1)).isEqualTo("-Xmx512m -XX:+UseSerialGC -XX:ArchiveClassesAtExit=" + archive.archive()
                + ".part -Dspring.context.exit=onRefresh -jar " + archive.extractedJar());
        assertThat(archive.dir().resolve("app.jsa.part")).doesNotExist();
    }

    @Test
    void shouldLeaveNoArchiveWhenTheTrainingRunFailsSoTheServiceStartsFromItsJar() {
        ArchiveTrainer.Outcome outcome = trainer.create(archive, List.of(), Map.of("FAKE_TRAINING", "fail"));

        assertThat(outcome.created()).isFalse();
        assertThat(outcome.detail()).contains("training run failed (exit 1)").contains("training.log");
        assertThat(archive.usable()).isFalse();
        assertThat(archive.archive()).doesNotExist();
        assertThat(archive.launchArgs()).containsExactly("-jar", archive.jar().toString());
    }

    @Test
    void shouldLeaveNoArchiveWhenTheJarCannotBeExtracted() {
        ArchiveTrainer real = new ArchiveTrainer(Path.of(System.getProperty("java.home"), "bin", "java").toString());

        ArchiveTrainer.Outcome outcome = real.create(archive, List.of(), Map.of());

        assertThat(outcome.created()).isFalse();
        assertThat(outcome.detail()).contains("extracting the jar failed");
        assertThat(archive.usable()).isFalse();
    }

    @Test
    void shouldMakeTheArchiveAnewWithoutAnythingLeftOfTheOldOne() throws Exception {
        Files.createDirectories(archive.dir().resolve("lib"));
        Path oldLibrary = Files.write(archive.dir().resolve("lib/old-library-1.0.jar"), new byte[]{1});

        assertThat(trainer.create(archive, List.of(), Map.of()).created()).isTrue();

        assertThat(oldLibrary).doesNotExist();
    }
}

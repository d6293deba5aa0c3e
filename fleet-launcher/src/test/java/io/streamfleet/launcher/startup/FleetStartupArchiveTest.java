package io.streamfleet.launcher.startup;

import io.streamfleet.launcher.Fleet;
import io.streamfleet.launcher.FleetLayout;
import io.streamfleet.launcher.ServiceSpec;
import io.streamfleet.launcher.process.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;

/** How the launcher starts a service (a stand-in jar, {@link FakeService}) with and without its start-up archive. */
class FleetStartupArchiveTest {

    private static final String SERVICE = "cep-detector";

    @TempDir
    Path repo;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private Fleet fleet;
    private StartupArchive archive;

    @BeforeEach
    void fleetWithAStandInService() throws Exception {
        ServiceSpec service = new ServiceSpec(SERVICE, Ports.freePort(), false, false);
        Path jar = repo.resolve(service.jarPath());
        Files.createDirectories(jar.getParent());
        writeStandInJar(jar);
        FleetLayout layout = new FleetLayout(repo, repo.resolve(".fleet"), Ports.freePort(), Ports.freePort(),
                List.of(service));
        fleet = new Fleet(layout, new PrintStream(output, true, StandardCharsets.UTF_8));
        archive = StartupArchive.forJar(jar);
    }

    @AfterEach
    void stop() {
        fleet.down();
    }

    @Test
    void shouldStartAServiceWithItsArchiveWhenItHasAUsableOne() throws Exception {
        Files.createDirectories(archive.dir());
        Files.copy(archive.jar(), archive.extractedJar());
        // not a real archive: the JVM ignores an archive it cannot map and starts as without one
        Files.writeString(archive.archive(), "not a class-data archive");
        archive.stamp(StartupArchive.currentJvm());

        fleet.startService(SERVICE);

        assertThat(commandLine()).contains("-XX:SharedArchiveFile=" + archive.archive())
                .contains("-jar " + archive.extractedJar());
        assertThat(archive.usable()).isTrue();
    }

    @Test
    void shouldStartAServiceFromItsJarWhenItHasNoArchive() {
        fleet.startService(SERVICE);

        assertThat(commandLine()).doesNotContain("SharedArchiveFile").contains("-jar " + archive.jar());
    }

    @Test
    void shouldStartAServiceFromItsJarAndDiscardTheArchiveWhenItDiesStartingWithIt() throws Exception {
        Files.createDirectories(archive.dir());
        Files.writeString(archive.extractedJar(), "not a jar: the JVM exits at once");
        Files.writeString(archive.archive(), "not a class-data archive");
        archive.stamp(StartupArchive.currentJvm());

        fleet.startService(SERVICE);

        assertThat(commandLine()).doesNotContain("SharedArchiveFile").contains("-jar " + archive.jar());
        assertThat(archive.usable()).isFalse();
        assertThat(output.toString(StandardCharsets.UTF_8))
                .contains(SERVICE).contains("exited while starting with its start-up archive");
    }

    private String commandLine() {
        String pid = fleet.status().get(SERVICE).replaceAll("pid (\\d+).*", "$1");
        return ProcessHandle.of(Long.parseLong(pid)).flatMap(h -> h.info().commandLine()).orElseThrow();
    }

    private static void writeStandInJar(Path jar) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeService.class.getName());
        String entry = FakeService.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar);
             JarOutputStream out = new JarOutputStream(file, manifest);
             InputStream classFile = FakeService.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            classFile.transferTo(out);
            out.closeEntry();
        }
    }
}

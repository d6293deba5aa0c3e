package io.streamfleet.deploy;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The shared Dockerfile, checked without a Docker engine: layered Spring Boot jar in the right layer order, non-root
 * user, container-aware JVM flags, a health check script that exists, and layers that match the built jars.
 */
class DockerfileTest {

    static final String DOCKERFILE = RepoFiles.read(RepoFiles.DOCKERFILE);
    static final List<String> LAYERS = List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");

    @Test
    void shouldExtractTheLayeredJarAndCopyLayersFromLeastToMostChangingWhenBuilt() {
        assertThat(DOCKERFILE).contains("COPY ${MODULE}/target/${MODULE}-exec.jar app.jar")
                .contains("java -Djarmode=tools -jar app.jar extract --layers --launcher --destination extracted")
                .contains("ENTRYPOINT [\"java\", \"org.springframework.boot.loader.launch.JarLauncher\"]");
        Matcher copies = Pattern.compile("COPY --from=extract /build/extracted/([a-z-]+)/ \\./").matcher(DOCKERFILE);
        List<String> order = new ArrayList<>();
        while (copies.find()) {
            order.add(copies.group(1));
        }
        assertThat(order).containsExactlyElementsOf(LAYERS);
        assertThat(Pattern.compile("^FROM ", Pattern.MULTILINE).matcher(DOCKERFILE).results().count()).isEqualTo(2);
    }

    @Test
    void shouldRunAsANumericNonRootUserWithContainerAwareJvmFlagsWhenStarted() {
        Matcher user = Pattern.compile("^USER (\\d+):(\\d+)$", Pattern.MULTILINE).matcher(DOCKERFILE);
        assertThat(user.find()).isTrue();
        assertThat(Integer.parseInt(user.group(1))).isPositive().isEqualTo(10001);
        assertThat(DOCKERFILE.indexOf("USER 10001")).isGreaterThan(DOCKERFILE.lastIndexOf("RUN "));
        assertThat(DOCKERFILE).contains("-XX:MaxRAMPercentage=", "-XX:+ExitOnOutOfMemoryError")
                .contains("STREAMFLEET_STATE_DIR=/var/lib/streamfleet/state")
                .contains("LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs")
                .contains("EXPOSE ${SERVICE_PORT}");
        assertThat(DOCKERFILE).doesNotContain(":latest");
    }

    @Test
    void shouldProbeLivenessWithTheShippedScriptWhenHealthChecked() throws Exception {
        assertThat(DOCKERFILE).contains("HEALTHCHECK ").contains("CMD [\"/app/healthcheck.sh\"]")
                .contains("COPY deploy/docker/healthcheck.sh /app/healthcheck.sh");
        assertThat(Files.isExecutable(RepoFiles.HEALTHCHECK)).isTrue();
        assertThat(RepoFiles.read(RepoFiles.HEALTHCHECK)).contains("/actuator/health/liveness").contains("\"status\":\"UP\"");
        String ignore = RepoFiles.read(RepoFiles.ROOT.resolve("deploy/docker/Dockerfile.dockerignore"));
        assertThat(ignore).contains("!*/target/*-exec.jar", "!deploy/docker/healthcheck.sh");
        PrometheusRulesTest.Result syntax = PrometheusRulesTest.run(List.of("bash", "-n", RepoFiles.HEALTHCHECK.toString()));
        assertThat(syntax.exit()).as(syntax.output()).isZero();
    }

    @Test
    void shouldMatchTheLayersOfEveryBuiltServiceJarWhenJarsExist() throws Exception {
        int checked = 0;
        for (RepoFiles.Service service : RepoFiles.SERVICES) {
            Path jar = RepoFiles.ROOT.resolve(service.name()).resolve("target").resolve(service.name() + "-exec.jar");
            if (!Files.exists(jar)) {
                continue;
            }
            try (JarFile file = new JarFile(jar.toFile())) {
                ZipEntry index = file.getEntry("BOOT-INF/layers.idx");
                assertThat(index).as("%s is a layered jar", jar).isNotNull();
                String layers = new String(file.getInputStream(index).readAllBytes());
                List<String> names = Pattern.compile("^- \"([^\"]+)\":", Pattern.MULTILINE).matcher(layers).results()
                        .map(r -> r.group(1)).toList();
                assertThat(names).as(jar.toString()).containsExactlyElementsOf(LAYERS);
                assertThat(file.getEntry("org/springframework/boot/loader/launch/JarLauncher.class")).isNotNull();
                assertThat(layers).contains("spring-boot-jarmode-tools");
            }
            checked++;
        }
        assumeTrue(checked > 0, "no service jar built yet");
    }
}

package io.streamfleet.deploy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.streamfleet.deploy.RepoFiles.ROOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs every doc block marked {@value DocCommands#FRESH_CLONE_MARK} in a fresh {@code git clone} of this repository,
 * README first, then docs/ in name order, in one clone (so a later block may use what an earlier one built, as a
 * reader following the docs would). The clone has the committed state: uncommitted edits are not in it. The blocks'
 * Maven commands use the build's local repository, offline when the build is, through a wrapper first on the PATH.
 */
class DocCommandsIT {

    private static final Duration BLOCK_TIMEOUT = Duration.ofMinutes(10);

    private static Path workDir;
    private static Path clone;

    @BeforeAll
    static void cloneRepository() throws Exception {
        assumeTrue(Files.exists(ROOT.resolve(".git")), "not a git checkout: nothing to clone");
        assumeTrue(onPath("git") != null, "git missing");
        workDir = Files.createTempDirectory("doc-commands");
        clone = workDir.resolve("streamfleet");
        Result cloned = run(List.of("git", "clone", "--quiet", ROOT.toString(), clone.toString()), workDir);
        assertThat(cloned.exit()).as("git clone: %s", cloned.output()).isZero();
    }

    @AfterAll
    static void removeClone() throws IOException {
        if (workDir != null) {
            try (Stream<Path> walk = Files.walk(workDir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void shouldRunEveryMarkedDocCommandWhenGivenAFreshClone() throws Exception {
        List<DocCommands.Block> blocks = DocCommands.freshCloneBlocks();
        assertThat(blocks).isNotEmpty();
        List<String> failures = new ArrayList<>();
        for (DocCommands.Block block : blocks) {
            long started = System.nanoTime();
            Result result = run(List.of("bash", "-euo", "pipefail", "-c", block.script()), clone);
            System.out.printf("doc commands of %s: exit %d in %.1f s%n",
                    block.where(), result.exit(), (System.nanoTime() - started) / 1e9);
            if (result.exit() != 0) {
                failures.add(block.where() + " exited " + result.exit() + ":\n" + result.tail());
            }
        }
        assertThat(failures).isEmpty();
    }

    private record Result(int exit, String output) {
        String tail() {
            List<String> lines = output.lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }
    }

    private static Result run(List<String> command, Path dir) throws Exception {
        Path log = Files.createTempFile(workDir, "out", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("PATH", path());
        Process process = builder.start();
        try {
            if (!process.waitFor(BLOCK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                return new Result(-1, Files.readString(log) + "\n(timed out after " + BLOCK_TIMEOUT + ")");
            }
            return new Result(process.exitValue(), Files.readString(log));
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /**
     * The PATH for the blocks: first a folder whose {@code mvn} uses this build's local repository, and {@code -o} when
     * this build runs offline, so the blocks resolve what the build resolved. Run outside Maven, the PATH as it is.
     */
    private static String path() throws IOException {
        String path = System.getenv().getOrDefault("PATH", "");
        String repository = System.getProperty("doc.commands.localRepository", "");
        if (repository.isBlank() || repository.startsWith("${")) {
            return path;
        }
        Path bin = workDir.resolve("bin");
        Path wrapper = bin.resolve("mvn");
        if (!Files.exists(wrapper)) {
            Path mvn = onPath("mvn");
            assumeTrue(mvn != null, "mvn missing");
            String offline = "offline=true".equals(System.getProperty("doc.commands.offline")) ? " -o" : "";
            Files.createDirectories(bin);
            Files.writeString(wrapper, "#!/bin/sh\nexec '" + mvn + "' '-Dmaven.repo.local=" + repository + "'"
                    + offline + " \"$@\"\n");
            assertThat(wrapper.toFile().setExecutable(true)).isTrue();
        }
        return bin + File.pathSeparator + path;
    }

    private static Path onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}

package io.streamfleet.deploy;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commands the docs give must work on a fresh clone. Maven resolves the modules a {@code -pl} build depends on
 * from the local repository unless {@code -am} builds them too, so on a fresh clone (or, worse, against stale
 * snapshots of another checkout) such a command fails or tests old code. These checks read every fenced block
 * statically; {@code DocCommandsIT} runs the cheap, marked ones.
 */
class DocCommandsTest {

    /** Shell separators after which a new command starts. */
    private static final Pattern SEPARATORS = Pattern.compile("&&|\\|\\||;|\\||\\(|\\)");
    /** Paths of one machine, never of a user's checkout. */
    private static final Pattern MACHINE_PATH = Pattern.compile("(^|[\\s=:\"'])/(work|home|Users)/");

    @Test
    void shouldReadMarkedBlocksWithJoinedContinuationLinesWhenParsingMarkdown() {
        List<String> doc = List.of(
                "Prose.",
                DocCommands.FRESH_CLONE_MARK,
                "```bash",
                "./fleet help        # usage",
                "mvn -B -pl a -am \\",
                "    package",
                "",
                "# a comment",
                "```",
                "```",
                "java -jar x.jar",
                "```");

        List<DocCommands.Block> blocks = DocCommands.blocks(Path.of("doc.md"), doc);

        assertThat(blocks).hasSize(2);
        assertThat(blocks.get(0).freshCloneChecked()).isTrue();
        assertThat(blocks.get(0).language()).isEqualTo("bash");
        assertThat(blocks.get(0).line()).isEqualTo(3);
        assertThat(blocks.get(0).commands()).containsExactly("./fleet help        # usage", "mvn -B -pl a -am package");
        assertThat(blocks.get(1).freshCloneChecked()).isFalse();
        assertThat(blocks.get(1).commands()).containsExactly("java -jar x.jar");
    }

    @Test
    void shouldMarkOnlyBashBlocksWhenDocsListFreshCloneCommands() {
        List<DocCommands.Block> marked = DocCommands.freshCloneBlocks();

        assertThat(marked).as("README and docs mark their cheap commands").isNotEmpty();
        assertThat(marked).allSatisfy(block -> assertThat(block.language())
                .as("%s: a checked block runs in bash, so say so", block.where()).isEqualTo("bash"));
    }

    @Test
    void shouldBuildTheModulesAMavenCommandNeedsWhenDocsSelectModules() {
        List<String> problems = new ArrayList<>();
        for (DocCommands.Block block : DocCommands.blocks()) {
            if (block.shell()) {
                problems.addAll(mavenProblems(block));
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldNameNoPathOfOneMachineWhenDocsGiveCommands() {
        List<String> problems = new ArrayList<>();
        for (DocCommands.Block block : DocCommands.blocks()) {
            for (String command : block.shell() ? block.commands() : List.<String>of()) {
                if (MACHINE_PATH.matcher(command).find()) {
                    problems.add(block.where() + ": " + command);
                }
            }
        }
        assertThat(problems).as("commands run from the checkout, wherever it is").isEmpty();
    }

    @Test
    void shouldFlagModuleBuildsWithoutAlsoMakeWhenNothingWasInstalled() {
        assertThat(mavenProblems(block("mvn -B -pl fault-drills verify"))).hasSize(1);
        assertThat(mavenProblems(block("cd benchmarks", "mvn -B exec:java -Dexec.mainClass=X"))).hasSize(1);
        assertThat(mavenProblems(block("mvn -B -f deploy-checks/pom.xml verify"))).hasSize(1);
        assertThat(mavenProblems(block("mvn -B -pl alert-api -am test-compile exec:java"))).hasSize(1);
        assertThat(mavenProblems(block("mvn -B -pl fault-drills -am verify -DskipTests"))).isEmpty();
        assertThat(mavenProblems(block("mvn -B -DskipTests install", "mvn -B -pl fault-drills verify"))).isEmpty();
        assertThat(mavenProblems(block("mvn -B verify"))).isEmpty();
    }

    /**
     * Why a block's Maven commands would not work on a fresh clone: a module selected without {@code -am}, Maven run
     * from a module's folder or on its pom ({@code -f}), or {@code exec:java} with {@code -am} (it would run the main
     * class in every module).
     * An {@code install} earlier in the block puts the modules into the local repository and lifts the first two.
     */
    static List<String> mavenProblems(DocCommands.Block block) {
        List<String> problems = new ArrayList<>();
        boolean installed = false;
        boolean leftRoot = false;
        for (String command : block.commands()) {
            for (String part : SEPARATORS.split(command)) {
                List<String> words = List.of(part.strip().split("\\s+"));
                if (words.get(0).equals("cd") && words.size() > 1 && !words.get(1).equals("..")) {
                    leftRoot = true;
                }
                if (!words.get(0).equals("mvn")) {
                    continue;
                }
                boolean alsoMake = words.contains("-am") || words.contains("--also-make");
                if (alsoMake && words.stream().anyMatch(w -> w.startsWith("exec:java"))) {
                    problems.add(block.where() + ": exec:java with -am runs in every module: " + part.strip());
                }
                if (!installed && !alsoMake && (words.contains("-pl") || words.contains("--projects"))) {
                    problems.add(block.where() + ": -pl without -am (or an install before it): " + part.strip());
                }
                int file = Math.max(words.indexOf("-f"), words.indexOf("--file"));
                boolean modulePom = file >= 0 && file + 1 < words.size() && words.get(file + 1).contains("/");
                if (!installed && (leftRoot || modulePom)) {
                    problems.add(block.where() + ": mvn outside the repository root, nothing installed: " + part.strip());
                }
                installed |= words.contains("install");
            }
        }
        return problems;
    }

    private static DocCommands.Block block(String... lines) {
        return new DocCommands.Block(RepoFiles.ROOT.resolve("doc.md"), 1, "bash", false, List.of(lines));
    }
}

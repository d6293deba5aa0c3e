package io.streamfleet.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static io.streamfleet.deploy.RepoFiles.ROOT;

/**
 * The commands the README and docs/ give to users: their fenced code blocks. A block opened on the line right after
 * {@link #FRESH_CLONE_MARK} is cheap (no fleet, seconds to a couple of minutes) and runs on a fresh clone in every
 * build ({@code DocCommandsIT}); the mark in the doc is the only list of checked commands, so the two cannot drift.
 */
final class DocCommands {

    /** An HTML comment: invisible on GitHub, explicit in the source of the doc. */
    static final String FRESH_CLONE_MARK = "<!-- checked on a fresh clone -->";

    /** Info strings of blocks that hold data or code, never shell commands. */
    private static final Set<String> NOT_SHELL = Set.of("yaml", "yml", "json", "java", "mermaid", "xml", "properties");

    /** One fenced block: where it opens (1-based line of the fence), its info string and its lines. */
    record Block(Path file, int line, String language, boolean freshCloneChecked, List<String> lines) {

        boolean shell() {
            return !NOT_SHELL.contains(language);
        }

        /** The block's commands: continued lines ("\" at the end) joined, blank and comment-only lines left out. */
        List<String> commands() {
            List<String> commands = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String line : lines) {
                String stripped = line.strip();
                boolean continued = stripped.endsWith("\\");
                current.append(continued ? stripped.substring(0, stripped.length() - 1).strip() : stripped).append(' ');
                if (!continued) {
                    String command = current.toString().strip();
                    if (!command.isEmpty() && !command.startsWith("#")) {
                        commands.add(command);
                    }
                    current.setLength(0);
                }
            }
            return commands;
        }

        String where() {
            return ROOT.relativize(file) + ":" + line;
        }

        String script() {
            return String.join("\n", lines) + "\n";
        }
    }

    private DocCommands() {
    }

    /** README.md and every markdown file under docs/, README first. */
    static List<Path> docs() {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> walk = Files.walk(ROOT.resolve("docs"))) {
            walk.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    static List<Block> blocks() {
        return docs().stream().flatMap(doc -> blocks(doc, RepoFiles.read(doc).lines().toList()).stream()).toList();
    }

    static List<Block> freshCloneBlocks() {
        return blocks().stream().filter(Block::freshCloneChecked).toList();
    }

    static List<Block> blocks(Path file, List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        int open = -1;
        String indent = "";
        List<String> body = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String stripped = line.strip();
            if (open < 0 && stripped.startsWith("```")) {
                open = i;
                indent = line.substring(0, line.indexOf('`'));
                body.clear();
            } else if (open >= 0 && stripped.equals("```")) {
                String info = lines.get(open).strip().substring(3).strip();
                String language = info.isEmpty() ? "" : info.split("\\s+")[0];
                boolean marked = open > 0 && lines.get(open - 1).strip().equals(FRESH_CLONE_MARK);
                blocks.add(new Block(file, open + 1, language, marked, List.copyOf(body)));
                open = -1;
            } else if (open >= 0) {
                body.add(line.startsWith(indent) ? line.substring(indent.length()) : line);
            }
        }
        return blocks;
    }
}

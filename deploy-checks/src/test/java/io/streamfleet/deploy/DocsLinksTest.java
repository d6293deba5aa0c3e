package io.streamfleet.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.streamfleet.deploy.RepoFiles.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documentation stands alone: every rule the code and docs refer to is described in the repository, so no file
 * cites a specification that is not in it, every relative markdown link leads to an existing file and heading, and
 * every {@code docs/….md#anchor} named in a code comment, chart file or dashboard exists. Anchors follow GitHub's
 * rules: lower case, spaces to '-', punctuation dropped, "-1", "-2" … for repeated headings.
 */
class DocsLinksTest {

    /** Files whose text is checked for references to an outside specification and for doc paths. */
    private static final Set<String> TEXT_EXTENSIONS = Set.of(
            "java", "md", "json", "yaml", "yml", "tpl", "xml", "properties", "sh", "txt", "html", "js", "css");
    private static final Set<String> SKIPPED_DIRS = Set.of(".git", ".fleet", ".idea", "target", "node_modules");

    /** "SPEC" followed by a section sign or the word section: a reference to a document the repository lacks. */
    private static final Pattern SPEC_REFERENCE = Pattern.compile("SPEC\\s*(\u00a7|section\\s*\\d)");
    /** A bare section sign with a number, unless it belongs to an RFC reference ("RFC 9110 §10.2"). */
    private static final Pattern BARE_SECTION = Pattern.compile("\u00a7\\s*\\d");

    private static final Pattern MARKDOWN_LINK = Pattern.compile("\\[[^\\]]*]\\(([^)\\s]+)(\\s+\"[^\"]*\")?\\)");
    private static final Pattern DOC_PATH =
            Pattern.compile("(?<![\\w/.-])((?:docs/[\\w./-]+\\.md)|README\\.md)(?:#([\\w-]+))?");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

    private final Map<Path, Set<String>> anchorCache = new HashMap<>();

    @Test
    void shouldCiteNoOutsideSpecificationWhenScanningRepositoryFiles() {
        List<String> hits = new ArrayList<>();
        for (Path file : textFiles()) {
            List<String> lines = lines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (SPEC_REFERENCE.matcher(line).find() || bareSection(line)) {
                    hits.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + line.strip());
                }
            }
        }
        assertThat(hits).as("describe the rule in docs/ and link the section instead").isEmpty();
    }

    @Test
    void shouldResolveEveryRelativeLinkWhenReadingMarkdown() {
        List<String> broken = new ArrayList<>();
        for (Path file : markdownFiles()) {
            List<String> lines = proseLines(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = MARKDOWN_LINK.matcher(stripCodeSpans(lines.get(i)));
                while (m.find()) {
                    String target = m.group(1);
                    if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                        continue; // http:, https:, mailto: …
                    }
                    int hash = target.indexOf('#');
                    String path = hash < 0 ? target : target.substring(0, hash);
                    String anchor = hash < 0 ? null : target.substring(hash + 1);
                    Path resolved = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
                    String problem = problem(resolved, anchor);
                    if (problem != null) {
                        broken.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + target + " (" + problem + ")");
                    }
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void shouldResolveEveryDocPathWhenNamedOutsideMarkdown() {
        List<String> broken = new ArrayList<>();
        for (Path file : textFiles()) {
            if (file.toString().endsWith(".md")) {
                continue;
            }
            List<String> lines = lines(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = DOC_PATH.matcher(lines.get(i));
                while (m.find()) {
                    String problem = problem(ROOT.resolve(m.group(1)), m.group(2));
                    if (problem != null) {
                        broken.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + m.group() + " (" + problem + ")");
                    }
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void shouldMakeGitHubAnchorsWhenGivenHeadings() {
        assertThat(anchor("Against Flink CEP (Java 17, 2 cores)")).isEqualTo("against-flink-cep-java-17-2-cores");
        assertThat(anchor("WebSocket `GET /v1/events/ws`")).isEqualTo("websocket-get-v1eventsws");
        assertThat(anchor("Worked example (one key, times in ms, prices in brackets)"))
                .isEqualTo("worked-example-one-key-times-in-ms-prices-in-brackets");
        assertThat(anchor("cep-detector — burst-create / mass-cancel detection"))
                .isEqualTo("cep-detector--burst-create--mass-cancel-detection");
        assertThat(anchor("See [the record](event-time.md#the-record)")).isEqualTo("see-the-record");
    }

    private String problem(Path target, String anchor) {
        if (!Files.exists(target)) {
            return "no such file";
        }
        if (anchor == null || anchor.isEmpty() || !target.toString().endsWith(".md")) {
            return null;
        }
        return anchors(target).contains(anchor) ? null : "no heading with this anchor";
    }

    private Set<String> anchors(Path markdown) {
        return anchorCache.computeIfAbsent(markdown, file -> {
            Set<String> anchors = new LinkedHashSet<>();
            Map<String, Integer> seen = new HashMap<>();
            for (String line : proseLines(file)) {
                Matcher m = HEADING.matcher(line);
                if (m.matches()) {
                    String base = anchor(m.group(1));
                    int n = seen.merge(base, 1, Integer::sum) - 1;
                    anchors.add(n == 0 ? base : base + "-" + n);
                }
            }
            return anchors;
        });
    }

    /** GitHub's heading anchor: link text kept, lower case, anything but letters, digits, '_', '-' and ' ' dropped. */
    static String anchor(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)]\\([^)]*\\)", "$1").strip().toLowerCase(java.util.Locale.ROOT);
        StringBuilder sb = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c == '_' || c == '-') {
                sb.appendCodePoint(c);
            } else if (c == ' ') {
                sb.append('-');
            }
        });
        return sb.toString();
    }

    private static boolean bareSection(String line) {
        Matcher m = BARE_SECTION.matcher(line);
        while (m.find()) {
            String before = line.substring(Math.max(0, m.start() - 16), m.start());
            if (!before.contains("RFC")) {
                return true;
            }
        }
        return false;
    }

    /** The lines of a markdown file outside fenced code blocks (blank lines stand in for the fenced ones). */
    private static List<String> proseLines(Path file) {
        List<String> out = new ArrayList<>();
        boolean fenced = false;
        for (String line : lines(file)) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                out.add("");
            } else {
                out.add(fenced ? "" : line);
            }
        }
        return out;
    }

    private static String stripCodeSpans(String line) {
        return line.replaceAll("`[^`]*`", "``");
    }

    private static List<Path> markdownFiles() {
        return textFiles().stream().filter(p -> p.toString().endsWith(".md")).toList();
    }

    private static List<Path> textFiles() {
        try (Stream<Path> walk = Files.walk(ROOT)) {
            return walk.filter(p -> ROOT.relativize(p).getNameCount() > 0)
                    .filter(p -> {
                        for (Path part : ROOT.relativize(p)) {
                            if (SKIPPED_DIRS.contains(part.toString())) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .filter(Files::isRegularFile)
                    .filter(DocsLinksTest::isText)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isText(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return name.equals("fleet") && file.getParent().equals(ROOT)
                || dot > 0 && TEXT_EXTENSIONS.contains(name.substring(dot + 1));
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            return List.of(); // not UTF-8 text
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

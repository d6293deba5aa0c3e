package io.streamfleet.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Renders the chart with helm-java (Helm's own Go code, no helm binary needed) and finds objects in the output. */
final class Charts {

    static final String RELEASE = "sf";
    static final String NAMESPACE = "streamfleet";
    static final String KUBE_VERSION = "1.30.0";

    private Charts() {
    }

    static String template(Path valuesFile, Map<String, Object> sets) {
        return template(RepoFiles.CHART, valuesFile, sets);
    }

    private static String template(Path chart, Path valuesFile, Map<String, Object> sets) {
        TemplateCommand command = new Helm(chart).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        if (valuesFile != null) {
            command = command.withValuesFile(valuesFile);
        }
        for (Map.Entry<String, Object> set : sets.entrySet()) {
            command = command.set(set.getKey(), set.getValue());
        }
        return command.call();
    }

    static List<Map<String, Object>> render(Path valuesFile, Map<String, Object> sets) {
        return RepoFiles.readAll(template(valuesFile, sets));
    }

    /**
     * Renders hooks too (helm-java's template returns the release manifest without hooks): renders a copy of the chart
     * whose templates have their {@code helm.sh/hook} annotation lines removed, everything else unchanged.
     */
    static List<Map<String, Object>> renderWithHooks(Path valuesFile, Path scratch) {
        return RepoFiles.readAll(template(copy(scratch, text -> Stream.of(text.split("\n", -1))
                .filter(line -> !line.contains("helm.sh/hook")).collect(Collectors.joining("\n"))), valuesFile, Map.of()));
    }

    /**
     * Renders as against a cluster that serves exactly the given API versions ({@code group/version/Kind}) besides the
     * built-in ones: helm-java's template has no {@code --api-versions}, so a copy of the chart gets each
     * {@code .Capabilities.APIVersions.Has "x"} replaced by {@code true} or {@code false}.
     */
    static List<Map<String, Object>> renderServing(Set<String> served, Path valuesFile, Map<String, Object> sets,
                                                   Path scratch) {
        Path copy = copy(scratch, text -> CAPABILITY.matcher(text).replaceAll(m -> served.contains(m.group(1))
                ? "true" : "false"));
        return RepoFiles.readAll(template(copy, valuesFile, sets));
    }

    private static final Pattern CAPABILITY = Pattern.compile("[$\\w.]*Capabilities\\.APIVersions\\.Has \"([^\"]+)\"");

    private static Path copy(Path scratch, UnaryOperator<String> templateText) {
        try {
            Path copy = Files.createTempDirectory(scratch, "chart").resolve("streamfleet");
            try (Stream<Path> files = Files.walk(RepoFiles.CHART)) {
                for (Path file : files.toList()) {
                    Path target = copy.resolve(RepoFiles.CHART.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else if (file.startsWith(RepoFiles.CHART.resolve("templates"))) {
                        Files.writeString(target, templateText.apply(Files.readString(file)));
                    } else {
                        Files.copy(file, target);
                    }
                }
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The hook annotation of every template that declares one, by template path. */
    static Map<String, String> hookAnnotations() {
        try (Stream<Path> files = Files.walk(RepoFiles.CHART.resolve("templates"))) {
            Map<String, String> hooks = new TreeMap<>();
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.readAllLines(file).stream().map(String::trim).filter(l -> l.startsWith("helm.sh/hook:"))
                        .forEach(l -> hooks.put(RepoFiles.CHART.relativize(file).toString(), l.substring(13).trim()));
            }
            return hooks;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Map<String, Object>> ofKind(List<Map<String, Object>> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    static Optional<Map<String, Object>> find(List<Map<String, Object>> objects, String kind, String name) {
        return ofKind(objects, kind).stream().filter(o -> name.equals(RepoFiles.str(o, "metadata.name"))).findFirst();
    }

    static Map<String, Object> get(List<Map<String, Object>> objects, String kind, String name) {
        return find(objects, kind, name).orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in "
                + objects.stream().map(o -> o.get("kind") + "/" + RepoFiles.str(o, "metadata.name")).toList()));
    }

    static String fullname(String service) {
        return RELEASE + "-streamfleet-" + service;
    }
}

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
import java.util.TreeMap;
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
        try {
            Path copy = scratch.resolve("streamfleet");
            try (Stream<Path> files = Files.walk(RepoFiles.CHART)) {
                for (Path file : files.toList()) {
                    Path target = copy.resolve(RepoFiles.CHART.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else if (file.startsWith(RepoFiles.CHART.resolve("templates"))) {
                        Files.writeString(target, Files.readAllLines(file).stream()
                                .filter(line -> !line.contains("helm.sh/hook"))
                                .collect(Collectors.joining("\n", "", "\n")));
                    } else {
                        Files.copy(file, target);
                    }
                }
            }
            return RepoFiles.readAll(template(copy, valuesFile, Map.of()));
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

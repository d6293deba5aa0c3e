package io.streamfleet.deploy;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The Grafana dashboards of the chart (files/dashboards) and the PromQL of every panel, plus the alert rules. */
final class Dashboards {

    static final JsonMapper JSON = JsonMapper.builder().build();

    record Query(String dashboard, String panel, String expr) {
    }

    record Rule(String file, String alert, String expr) {
    }

    private Dashboards() {
    }

    static JsonNode read(Path file) {
        return JSON.readTree(RepoFiles.read(file));
    }

    static List<Path> files() {
        return RepoFiles.list(RepoFiles.DASHBOARDS, ".json");
    }

    /** Every panel (rows' nested panels included) of one dashboard. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            for (JsonNode nested : panel.path("panels")) {
                panels.add(nested);
            }
        }
        return panels;
    }

    static List<Query> queries() {
        List<Query> queries = new ArrayList<>();
        for (Path file : files()) {
            JsonNode dashboard = read(file);
            for (JsonNode panel : panels(dashboard)) {
                for (JsonNode target : panel.path("targets")) {
                    if (target.hasNonNull("expr")) {
                        queries.add(new Query(file.getFileName().toString(), panel.path("title").asString(),
                                target.get("expr").asString()));
                    }
                }
            }
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                if ("query".equals(variable.path("type").asString())) {
                    String q = variable.path("query").isObject() ? variable.path("query").path("query").asString()
                            : variable.path("query").asString();
                    String selector = q.replaceFirst("^label_values\\((.*),\\s*\\w+\\)$", "$1");
                    queries.add(new Query(file.getFileName().toString(), "variable " + variable.path("name").asString(),
                            selector));
                }
            }
        }
        return queries;
    }

    @SuppressWarnings("unchecked")
    static List<Rule> rules() {
        List<Rule> rules = new ArrayList<>();
        for (Path file : RepoFiles.list(RepoFiles.ALERT_RULES, ".yml")) {
            for (Map<String, Object> group : (List<Map<String, Object>>) RepoFiles.readYaml(file).get("groups")) {
                for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                    rules.add(new Rule(file.getFileName().toString(),
                            (String) (rule.containsKey("alert") ? rule.get("alert") : rule.get("record")),
                            String.valueOf(rule.get("expr"))));
                }
            }
        }
        return rules;
    }
}

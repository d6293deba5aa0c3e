package io.streamfleet.deploy;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough PromQL reading to list the metric names an expression selects (for the "metric exists" check). */
final class PromQl {

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^{}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^\\[\\]]*]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^()]*\\)");
    private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$\\w+");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
    private static final Pattern APPLICATION = Pattern.compile("application=~?\"([^\"]*)\"");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
            "ignoring", "group_left", "group_right", "inf", "nan", "Inf", "NaN", "start", "end", "atan2");

    private PromQl() {
    }

    /** Metric names selected by the expression: identifiers that are neither functions, keywords nor labels. */
    static Set<String> metricNames(String expr) {
        String rest = GRAFANA_VARIABLE.matcher(expr).replaceAll("1m");
        rest = STRING.matcher(rest).replaceAll("\"\"");
        rest = MATCHERS.matcher(rest).replaceAll(" ");
        rest = RANGE.matcher(rest).replaceAll(" ");
        rest = GROUPING.matcher(rest).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(rest);
        while (m.find()) {
            String name = m.group(1);
            boolean function = m.group(2) != null;
            if (!function && !KEYWORDS.contains(name) && !name.matches("[0-9].*")) {
                names.add(name);
            }
        }
        return names;
    }

    /** The applications an expression's {@code application="x"} / {@code application=~"a|b"} matchers name. */
    static Set<String> applications(String expr) {
        Set<String> apps = new TreeSet<>();
        Matcher m = APPLICATION.matcher(expr);
        while (m.find()) {
            for (String app : m.group(1).split("\\|")) {
                if (app.matches("[a-z-]+")) {
                    apps.add(app);
                }
            }
        }
        return apps;
    }

    /** Grafana's built-in and dashboard variables replaced so Prometheus can run the query as is. */
    static String forPrometheus(String expr) {
        return expr.replace("$__rate_interval", "1m").replace("${__rate_interval}", "1m")
                .replace("$__interval", "30s").replace("$__range", "5m")
                .replaceAll("\\$\\{?application}?", ".+")
                // namespace and job: "All" (a scrape without the label, e.g. compose's Prometheus, matches too)
                .replaceAll("\\$\\{?(namespace|job)}?", ".*");
    }
}

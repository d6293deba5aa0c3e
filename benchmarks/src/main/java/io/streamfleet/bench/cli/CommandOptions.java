package io.streamfleet.bench.cli;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} (or {@code --name=value}) options of one command, with defaults; names in {@code flags}
 * take no value. {@code --no-progress} sets {@code progress} to {@code off}, as for {@code run}.
 */
final class CommandOptions {

    private final String command;
    private final Map<String, String> values;

    private CommandOptions(String command, Map<String, String> values) {
        this.command = command;
        this.values = values;
    }

    static CommandOptions parse(String command, List<String> args, Map<String, String> defaults, Set<String> flags) {
        Map<String, String> values = new LinkedHashMap<>(defaults);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            int eq = name.indexOf('=');
            String given = eq >= 0 ? name.substring(eq + 1) : null;
            name = eq >= 0 ? name.substring(0, eq) : name;
            if (name.equals("no-progress") && defaults.containsKey("progress") && given == null) {
                values.put("progress", "off");
                continue;
            }
            if (!defaults.containsKey(name)) {
                throw new IllegalArgumentException("unknown option --" + name + " for " + command);
            }
            if (given == null && flags.contains(name)) {
                given = "true";
            } else if (given == null && i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                given = args.get(++i);
            } else if (given == null) {
                throw new IllegalArgumentException("option --" + name + " needs a value");
            }
            values.put(name, given);
        }
        return new CommandOptions(command, values);
    }

    String text(String name) {
        return values.get(name);
    }

    boolean given(String name) {
        return !text(name).isBlank();
    }

    boolean flag(String name) {
        return text(name).equals("true");
    }

    String required(String name, String what) {
        if (!given(name)) {
            throw new IllegalArgumentException(command + " needs --" + name + " " + what);
        }
        return text(name).trim();
    }

    List<String> list(String name) {
        return Arrays.stream(text(name).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    int integer(String name) {
        try {
            return Integer.parseInt(text(name).trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, was '" + text(name) + "'");
        }
    }

    Duration duration(String name) {
        Duration d = new BenchOptions(Map.of(name, text(name))).duration(name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("--" + name + " must be positive, was '" + text(name) + "'");
        }
        return d;
    }
}

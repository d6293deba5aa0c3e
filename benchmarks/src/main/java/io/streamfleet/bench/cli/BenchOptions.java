package io.streamfleet.bench.cli;

import io.streamfleet.bench.lag.LagSampler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Command-line options of {@code fleet-bench run} / {@code generate}, with defaults for a local fleet. */
public record BenchOptions(Map<String, String> values) {

    static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("gateway", "http://localhost:8080");
        d.put("alerts", "http://localhost:8084");
        d.put("bootstrap", "localhost:9092");
        d.put("api-key", "");
        d.put("api-key-file", ".fleet/dev-api-key");
        d.put("driver", "http-batch");
        d.put("mode", "open");
        d.put("rate", "5000");
        d.put("duration", "60s");
        d.put("batch-size", "auto");
        d.put("concurrency", "16");
        d.put("max-in-flight", "1024");
        d.put("ws-connections", "4");
        d.put("keys", "1000");
        d.put("engagement-share", "0.2");
        d.put("engagement-users", "500");
        d.put("engagement-speed", "240");
        d.put("episodes", "20");
        d.put("near-misses", "20");
        d.put("engagement-episodes", "10");
        d.put("engagement-near-misses", "10");
        d.put("engagement-origin", "0");
        d.put("warm-up", "2s");
        d.put("jitter", "1s");
        d.put("duplicates", "0.01");
        d.put("late", "0.001");
        d.put("seed", "42");
        d.put("drain", "30s");
        d.put("drain-limit", "5m");
        d.put("pids", ".fleet/pids");
        d.put("timeout", "30s");
        d.put("retries", Integer.toString(io.streamfleet.bench.driver.LoadRunner.DEFAULT_RESENDS));
        // the gateway's publish.max-hold: how long it may hold an event under its overload rule
        d.put("gateway-hold", "1s");
        d.put("lag-groups", String.join(",", LagSampler.FLEET_GROUPS));
        d.put("out", "");
        d.put("progress", "auto");
        return Map.copyOf(d);
    }

    /** Parses {@code --name value} pairs; unknown names and missing values are usage errors. */
    public static BenchOptions parse(List<String> args) {
        return parse(args, DEFAULTS);
    }

    /** Parses {@code --name value} pairs against another command's defaults. */
    static BenchOptions parse(List<String> args, Map<String, String> defaults) {
        Map<String, String> values = new LinkedHashMap<>(defaults);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (name.equals("no-progress")) {
                name = "progress";
                value = "off";
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new IllegalArgumentException("option --" + name + " needs a value");
            }
            if (!defaults.containsKey(name)) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
            values.put(name, value);
        }
        return new BenchOptions(values);
    }

    public BenchOptions with(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(name, value);
        return new BenchOptions(copy);
    }

    public String text(String name) {
        return values.get(name);
    }

    public int integer(String name) {
        try {
            return Integer.parseInt(text(name).replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, was '" + text(name) + "'");
        }
    }

    /**
     * Events per request: {@code --batch-size N}, or with {@code auto} (the default) 100 for {@code http-batch} (a
     * JSON array) and 1 for {@code ws} (NDJSON lines per message); {@code http-single} always sends one.
     */
    public int batchSize() {
        String driver = text("driver");
        if (driver.equals("http-single")) {
            return 1;
        }
        if (text("batch-size").trim().equals("auto")) {
            return driver.equals("http-batch") ? DEFAULT_HTTP_BATCH : 1;
        }
        int size = integer("batch-size");
        if (size < 1) {
            throw new IllegalArgumentException("--batch-size must be >= 1 (or auto), was " + size);
        }
        return size;
    }

    /** Events per JSON array when {@code http-batch} is not given a batch size. */
    static final int DEFAULT_HTTP_BATCH = 100;

    public double decimal(String name) {
        try {
            return Double.parseDouble(text(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, was '" + text(name) + "'");
        }
    }

    /** Durations as {@code 60s}, {@code 500ms}, {@code 2m} or plain seconds. */
    public Duration duration(String name) {
        String v = text(name).trim();
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            }
            if (v.endsWith("m")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60_000));
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a duration like 60s or 500ms, was '" + v + "'");
        }
    }

    public List<String> list(String name) {
        return text(name).isBlank() ? List.of() : new ArrayList<>(Arrays.asList(text(name).split(",")));
    }

    /** The API key: {@code --api-key}, else the first line of {@code --api-key-file}. */
    public String apiKey() {
        if (!text("api-key").isBlank()) {
            return text("api-key").trim();
        }
        Path file = Path.of(text("api-key-file"));
        try {
            return Files.readString(file).trim();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("no API key: pass --api-key or --api-key-file (tried " + file
                    + "; './fleet up' writes the development key there)");
        }
    }
}

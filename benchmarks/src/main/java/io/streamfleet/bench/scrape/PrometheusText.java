package io.streamfleet.bench.scrape;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One reading of a Prometheus text exposition ({@code /actuator/prometheus}): each sample line's series (name and
 * labels exactly as written) and value. Enough to read a service's own histograms and gauges around a benchmark run.
 */
public record PrometheusText(Map<String, Double> samples) {

    public PrometheusText {
        samples = Map.copyOf(samples);
    }

    public static PrometheusText parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int cut = line.lastIndexOf(' ');
            if (cut <= 0) {
                continue;
            }
            try {
                samples.put(line.substring(0, cut).trim(), Double.parseDouble(line.substring(cut + 1).trim()));
            } catch (NumberFormatException e) {
                // a timestamp or an exotic value: not a sample this reader needs
            }
        }
        return new PrometheusText(samples);
    }

    /** Sum of the samples of {@code name} whose labels contain every one of {@code labels} (e.g. {@code status="202"}). */
    public double sum(String name, String... labels) {
        return samples.entrySet().stream().filter(e -> matches(e.getKey(), name, labels))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** Mean of the samples of {@code name} that carry the labels; NaN when there is none. */
    public double mean(String name, String... labels) {
        return samples.entrySet().stream().filter(e -> matches(e.getKey(), name, labels))
                .mapToDouble(Map.Entry::getValue).average().orElse(Double.NaN);
    }

    /** True when some sample of {@code name} carries the labels. */
    public boolean has(String name, String... labels) {
        return samples.keySet().stream().anyMatch(series -> matches(series, name, labels));
    }

    /**
     * Cumulative bucket counts by upper bound of histogram {@code name} (without {@code _bucket}), summed over the
     * series that carry the labels.
     */
    public NavigableMap<Double, Double> buckets(String name, String... labels) {
        NavigableMap<Double, Double> buckets = new TreeMap<>();
        String bucket = name + "_bucket";
        samples.forEach((series, value) -> {
            if (matches(series, bucket, labels)) {
                buckets.merge(upperBound(series), value, Double::sum);
            }
        });
        return buckets;
    }

    private static double upperBound(String series) {
        int start = series.indexOf("le=\"") + 4;
        String le = series.substring(start, series.indexOf('"', start));
        return le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
    }

    private static boolean matches(String series, String name, String... labels) {
        if (!(series.equals(name) || series.startsWith(name + "{"))) {
            return false;
        }
        for (String label : labels) {
            if (!series.contains(label)) {
                return false;
            }
        }
        return true;
    }
}

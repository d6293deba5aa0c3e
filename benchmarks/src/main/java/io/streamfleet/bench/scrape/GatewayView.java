package io.streamfleet.bench.scrape;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The gateway's own account of a run, from its {@code /actuator/prometheus} read before and after: server-side
 * latency (its request timer and WebFlux's {@code http.server.requests}), Kafka send → ack, the producer's queue and
 * request averages, GC pauses and CPU per request. Set beside the client's figures it shows whether time went in the
 * server or between the load generator and the server.
 */
public final class GatewayView {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI uri;

    public GatewayView(URI uri) {
        this.uri = uri;
    }

    public PrometheusText read() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(uri + " answered " + response.statusCode());
            }
            return PrometheusText.parse(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + uri + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + uri, e);
        }
    }

    /** Report lines for what happened between the two readings. */
    public static List<String> report(PrometheusText before, PrometheusText after) {
        List<String> lines = new ArrayList<>();
        lines.add(latency("request received → answered (streamfleet.gateway.request.latency, 2xx)", before, after,
                "streamfleet_gateway_request_latency_seconds", "status=\"20"));
        lines.add(latency("WebFlux http.server.requests (POST, 2xx)", before, after, "http_server_requests_seconds",
                "method=\"POST\"", "status=\"20"));
        lines.add(latency("Kafka send → ack per event (streamfleet.gateway.publish.latency)", before, after,
                "streamfleet_gateway_publish_latency_seconds"));
        lines.add(String.format(Locale.ROOT, "producer averages: record-queue-time %.2f ms, request-latency %.2f ms, "
                        + "records per request %.1f, batch size %.0f B",
                after.mean("kafka_producer_record_queue_time_avg"), after.mean("kafka_producer_request_latency_avg"),
                after.mean("kafka_producer_records_per_request_avg"), after.mean("kafka_producer_batch_size_avg")));
        double pauses = delta(before, after, "jvm_gc_pause_seconds_count");
        double pausedMs = delta(before, after, "jvm_gc_pause_seconds_sum") * 1000;
        lines.add(String.format(Locale.ROOT, "GC: %.0f pauses, %.0f ms in all", pauses, pausedMs));
        double requests = delta(before, after, "http_server_requests_seconds_count", "method=\"POST\"");
        if (after.has("process_cpu_time_ns_total") && requests > 0) {
            double cpuMicros = delta(before, after, "process_cpu_time_ns_total") / 1000;
            lines.add(String.format(Locale.ROOT, "CPU: %.0f µs per POST (%.0f POSTs)", cpuMicros / requests,
                    requests));
        }
        return lines;
    }

    private static String latency(String what, PrometheusText before, PrometheusText after, String name,
                                  String... labels) {
        HistogramDelta delta = HistogramDelta.between(before.buckets(name, labels), after.buckets(name, labels));
        return String.format(Locale.ROOT, "%s: %,.0f, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms", what, delta.count(),
                delta.quantile(0.5) * 1000, delta.quantile(0.9) * 1000, delta.quantile(0.99) * 1000);
    }

    private static double delta(PrometheusText before, PrometheusText after, String name, String... labels) {
        return after.sum(name, labels) - before.sum(name, labels);
    }
}

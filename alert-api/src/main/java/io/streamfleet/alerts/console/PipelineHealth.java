package io.streamfleet.alerts.console;

import io.streamfleet.contracts.json.ContractMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The pipeline at a glance, from the services' own endpoints: each service's {@code /actuator/health} status, and
 * the lag of each Kafka Streams application's consumer group (committed offset to the last stable offset, summed
 * over its partitions). Asked on the server so the browser never calls another origin; every part has a timeout and
 * shows as UNKNOWN rather than failing the whole report.
 */
public final class PipelineHealth {

    private final WebClient http;
    private final Admin admin;
    private final Map<String, String> services;
    private final List<String> groups;
    private final Duration timeout;
    private final BooleanSupplier selfReady;

    public PipelineHealth(WebClient http, Admin admin, Map<String, String> services, List<String> groups,
                          Duration timeout, BooleanSupplier selfReady) {
        this.http = http;
        this.admin = admin;
        this.services = new LinkedHashMap<>(services);
        this.groups = List.copyOf(groups);
        this.timeout = timeout;
        this.selfReady = selfReady;
    }

    /** Parses {@code name=url} entries (the property format). */
    public static Map<String, String> parseServices(List<String> entries) {
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq < 1 || eq == entry.length() - 1) {
                throw new IllegalArgumentException("streamfleet.alerts.console.services: expected name=url, got '"
                        + entry + "'");
            }
            parsed.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
        }
        return parsed;
    }

    public Mono<Report> report() {
        Mono<List<Service>> statuses = Flux.fromIterable(services.entrySet())
                .flatMapSequential(e -> status(e.getKey(), e.getValue())).collectList();
        Mono<List<Lag>> lags = Mono.fromCallable(this::lags).subscribeOn(Schedulers.boundedElastic());
        return Mono.zip(statuses, lags).map(t -> {
            List<Service> all = new java.util.ArrayList<>(t.getT1());
            all.add(new Service("alert-api", "", selfReady.getAsBoolean() ? "UP" : "DOWN",
                    selfReady.getAsBoolean() ? null : "reading the alert topics' retained history"));
            return new Report(System.currentTimeMillis(), all, t.getT2());
        });
    }

    private Mono<Service> status(String name, String url) {
        return http.get().uri(url + "/actuator/health").exchangeToMono(response -> response.bodyToMono(String.class)
                        .defaultIfEmpty("{}").map(body -> {
                            JsonNode json = ContractMapper.shared().readTree(body);
                            String status = json.hasNonNull("status") ? json.get("status").asString()
                                    : "HTTP " + response.statusCode().value();
                            return new Service(name, url, status, null);
                        }))
                .timeout(timeout)
                .onErrorResume(e -> Mono.just(new Service(name, url, "UNREACHABLE", e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()))));
    }

    private List<Lag> lags() {
        List<Lag> lags = new java.util.ArrayList<>();
        for (String group : groups) {
            try {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                long lag = 0;
                for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed.entrySet()) {
                    if (e.getValue() != null && ends.containsKey(e.getKey())) {
                        lag += Math.max(0, ends.get(e.getKey()).offset() - e.getValue().offset());
                    }
                }
                lags.add(new Lag(group, committed.isEmpty() ? null : lag, committed.size(),
                        committed.isEmpty() ? "no committed offsets yet" : null));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                lags.add(new Lag(group, null, 0, "interrupted"));
            } catch (Exception e) {
                lags.add(new Lag(group, null, 0, "lag unknown: " + e.getClass().getSimpleName()));
            }
        }
        return lags;
    }

    /** @param checkedAtMs when the report was made */
    public record Report(long checkedAtMs, List<Service> services, List<Lag> consumerGroups) {
    }

    /** @param status the service's own health status (UP, DOWN, OUT_OF_SERVICE…) or UNREACHABLE */
    public record Service(String name, String url, String status, String detail) {
    }

    /** @param lag records not yet processed by the group, null when unknown */
    public record Lag(String group, Long lag, int partitions, String detail) {
    }
}

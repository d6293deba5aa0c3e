package io.streamfleet.alerts.it;

import io.micrometer.core.instrument.MeterRegistry;
import io.streamfleet.alerts.AlertApiApplication;
import io.streamfleet.support.security.ApiKeyAuthenticator;
import io.streamfleet.testkit.kafka.SharedKafkaBroker;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** alert-api started for real (random port, shared broker) so tests can stop and start it like a process. */
public final class RunningApp implements AutoCloseable {

    public static final String DEV_KEY = "it-dev-key";
    public static final String READER_KEY = "it-reader-key";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final ConfigurableApplicationContext context;
    private final int port;

    private RunningApp(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    public static RunningApp start(Map<String, Object> overrides) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", 0);
        properties.put("streamfleet.kafka.bootstrap-servers", SharedKafkaBroker.bootstrapServers());
        properties.put("streamfleet.security.dev-key", DEV_KEY);
        properties.put("streamfleet.security.keys[0].id", "reader");
        properties.put("streamfleet.security.keys[0].sha256", ApiKeyAuthenticator.sha256Hex(READER_KEY));
        properties.put("streamfleet.security.keys[0].scopes[0]", "alerts:read");
        properties.put("spring.lifecycle.timeout-per-shutdown-phase", "2s");
        properties.putAll(overrides);
        // command-line arguments: they outrank application.yaml (builder "properties" are only defaults)
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new RunningApp(new SpringApplicationBuilder(AlertApiApplication.class, OwnNettyResources.class)
                .run(args));
    }

    /**
     * Each app in this JVM gets event loops of its own instead of Reactor Netty's global ones: the ITs start and
     * stop several apps in one JVM, and a disposal of the global loops scheduled by an earlier app's shutdown that
     * lands after the next app started takes that app's server loops with it — a request then hangs with nothing
     * logged (WebhookIT's first PATCH, twice in full runs, never when the class ran alone). One app per JVM in
     * production never meets this.
     */
    @Configuration(proxyBeanMethods = false)
    static class OwnNettyResources {

        @Bean
        ReactorResourceFactory reactorResourceFactory() {
            ReactorResourceFactory factory = new ReactorResourceFactory();
            factory.setUseGlobalResources(false);
            return factory;
        }
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://localhost:" + port + pathAndQuery);
    }

    public int port() {
        return port;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public <T> T bean(String name, Class<T> type) {
        return context.getBean(name, type);
    }

    public MeterRegistry meters() {
        return context.getBean(MeterRegistry.class);
    }

    public HttpResponse<String> get(String path, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET();
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return send(request.build());
    }

    public HttpResponse<String> send(String method, String path, String key, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return send(request.build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + ": " + e, e);
        }
    }

    /**
     * Closes the context (which disposes the app's own event loops, see {@link OwnNettyResources}) and then,
     * synchronously, Reactor Netty's global resources, in case anything in the app created them.
     */
    @Override
    public void close() {
        context.close();
        reactor.netty.http.HttpResources.disposeLoopsAndConnections();
    }
}

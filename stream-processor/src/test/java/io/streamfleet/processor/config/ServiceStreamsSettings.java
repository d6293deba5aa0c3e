package io.streamfleet.processor.config;

import io.streamfleet.support.streams.StreamsRuntimeProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.ClassPathResource;

import java.io.IOException;

/** This service's {@code streamfleet.streams.*} as its packaged application.yaml gives them, without a context. */
final class ServiceStreamsSettings {

    private ServiceStreamsSettings() {
    }

    static StreamsRuntimeProperties fromApplicationYaml() throws IOException {
        var sources = new YamlPropertySourceLoader().load("application", new ClassPathResource("application.yaml"));
        // placeholders such as application-server's ${server.port} resolve against the same file
        return new Binder(ConfigurationPropertySources.from(sources), new PropertySourcesPlaceholdersResolver(sources))
                .bindOrCreate("streamfleet.streams", StreamsRuntimeProperties.class);
    }
}

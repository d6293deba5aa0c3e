package io.streamfleet.processor;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Exactly-once deduplication, lateness routing, windowed order stats and interactive queries (Kafka Streams). */
@SpringBootApplication
@ConfigurationPropertiesScan
public class StreamProcessorApplication {

    public static void main(String[] args) {
        SpringApplication.run(StreamProcessorApplication.class, args);
    }
}

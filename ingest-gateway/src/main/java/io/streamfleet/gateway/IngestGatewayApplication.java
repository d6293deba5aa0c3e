package io.streamfleet.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Validated HTTP and WebSocket ingestion of order and engagement events into Kafka. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IngestGatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(IngestGatewayApplication.class, args);
    }
}

package io.streamfleet.alerts;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Resumable SSE alert feed, signed durable webhooks, alert history and a live console. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AlertApiApplication {

    public static void main(String[] args) {
        SpringApplication.run(AlertApiApplication.class, args);
    }
}

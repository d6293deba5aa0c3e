package io.streamfleet.session;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Per-user session windows, engagement metrics and baseline-drop alerts (Kafka Streams). */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SessionAnalyticsApplication {

    public static void main(String[] args) {
        SpringApplication.run(SessionAnalyticsApplication.class, args);
    }
}

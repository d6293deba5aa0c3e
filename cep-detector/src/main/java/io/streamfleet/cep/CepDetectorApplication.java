package io.streamfleet.cep;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Burst-create / mass-cancel detection with a declarative pattern engine on Kafka Streams. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CepDetectorApplication {

    public static void main(String[] args) {
        SpringApplication.run(CepDetectorApplication.class, args);
    }
}

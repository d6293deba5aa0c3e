package io.streamfleet.alerts.console;

import io.streamfleet.support.security.ApiKeyProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Settings the console page ({@code static/index.html}) reads on load. Only when
 * {@code streamfleet.alerts.console.prefill-dev-key=true} (application-local.yaml) does it hand out the local
 * development key, so that the page works on one machine without pasting it; never enable that elsewhere.
 */
@RestController
public class ConsoleController {

    private final String prefilledKey;

    public ConsoleController(ApiKeyProperties keys,
                             @Value("${streamfleet.alerts.console.prefill-dev-key:false}") boolean prefill) {
        this.prefilledKey = prefill && keys.devKey() != null && !keys.devKey().isBlank() ? keys.devKey() : null;
    }

    @GetMapping("/console/config")
    public Config config() {
        return new Config(prefilledKey);
    }

    /** @param prefilledKey the development key in local mode, else null */
    public record Config(String prefilledKey) {
    }
}

package io.streamfleet.alerts.console;

import io.streamfleet.alerts.alert.FeedAlert;
import io.streamfleet.alerts.console.overview.Overview;
import io.streamfleet.alerts.history.index.HistoryIndex;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/** The console's overview: alerts per minute by type, top subjects, and the pipeline's health. */
@RestController
public class OverviewController {

    static final int MAX_MINUTES = 24 * 60;
    private static final int TOP = 5;
    private final HistoryIndex history;
    private final PipelineHealth health;
    private final LongSupplier clock;

    public OverviewController(HistoryIndex history, PipelineHealth health) {
        this.history = history;
        this.health = health;
        this.clock = System::currentTimeMillis;
    }

    @GetMapping("/v1/console/overview")
    public Overview overview(@RequestParam(defaultValue = "60") int minutes) {
        if (minutes < 1 || minutes > MAX_MINUTES) {
            throw new IllegalArgumentException("minutes: must be between 1 and " + MAX_MINUTES);
        }
        long now = clock.getAsLong();
        long from = now - minutes * 60_000L;
        List<Overview.Arrival> arrivals = new ArrayList<>();
        for (FeedAlert alert : history.all()) {
            long at = alert.ingestedAtMs() > 0 ? alert.ingestedAtMs() : alert.alert().detectedAtMs();
            if (at >= from) {
                arrivals.add(new Overview.Arrival(alert.alert(), at));
            }
        }
        return Overview.of(arrivals, now, minutes, TOP);
    }

    @GetMapping("/v1/console/health")
    public Mono<PipelineHealth.Report> health() {
        return health.report();
    }
}

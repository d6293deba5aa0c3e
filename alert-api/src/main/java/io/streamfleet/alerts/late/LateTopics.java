package io.streamfleet.alerts.late;

import java.util.List;

/** The late topics alert-api reads (the stages' {@code *.late} topics), for checking a request's {@code topic}. */
public record LateTopics(List<String> names) {

    public LateTopics {
        names = List.copyOf(names);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("streamfleet.alerts.late-events.topics must name at least one topic");
        }
    }
}

package io.streamfleet.bench.late;

import io.streamfleet.bench.topic.RunTopicReader;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the event ids of one run from late topics ({@link RunTopicReader}: read_committed, up to the end offsets). */
public final class LateTopicReader {

    private final String bootstrapServers;
    private final Duration timeout;

    public LateTopicReader(String bootstrapServers, Duration timeout) {
        this.bootstrapServers = bootstrapServers;
        this.timeout = timeout;
    }

    /** Ids per topic, in offset order per partition; {@code problems} collects what could not be read. */
    public Map<String, List<String>> read(List<String> topics, String runId, List<String> problems) {
        return read(topics, runId, problems, new java.util.HashMap<>());
    }

    /**
     * As {@link #read(List, String, List)}, also putting into {@code ingestedAtMs} the gateway's ingestion stamp of
     * each id's first record that has one (the stages pass the raw record's headers on to the late topics).
     */
    public Map<String, List<String>> read(List<String> topics, String runId, List<String> problems,
                                          Map<String, Long> ingestedAtMs) {
        Map<String, List<String>> ids = new LinkedHashMap<>();
        try (RunTopicReader reader = new RunTopicReader(bootstrapServers, timeout, "fleet-bench-late-audit")) {
            for (String topic : topics) {
                List<String> topicIds = new ArrayList<>();
                try {
                    reader.read(topic, runId, (RunTopicReader.StampedSink) (id, json, stamp) -> {
                        topicIds.add(id);
                        if (stamp >= 0) {
                            ingestedAtMs.putIfAbsent(id, stamp);
                        }
                    }, problems);
                } catch (RuntimeException e) {
                    problems.add(topic + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
                }
                ids.put(topic, topicIds);
            }
        }
        return ids;
    }
}

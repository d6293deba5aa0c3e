package io.streamfleet.launcher.broker;

import io.streamfleet.contracts.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Creates the fleet's topics that do not exist yet; existing ones (and their data) are left as they are. */
public final class TopicSetup {

    /** Partitions of local topics: enough to exercise per-key routing, few enough for 2 cores. */
    public static final int LOCAL_PARTITIONS = 3;
    /** Environment variable that sets the partitions of the data-flow topics {@code ./fleet up} creates. */
    public static final String PARTITIONS_VARIABLE = "STREAMFLEET_TOPIC_PARTITIONS";
    /** More would only cost memory and file handles on one machine; a cluster sets its own in the Helm values. */
    static final int MAX_LOCAL_PARTITIONS = 64;

    private TopicSetup() {
    }

    /** Data-flow topics with the partitions of the existing topics that differ from {@code partitions}. */
    public static Map<String, Integer> partitionMismatches(String bootstrapServers, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<String> names = Topics.dataFlowTopicNames().stream().filter(existing::contains).toList();
            Map<String, Integer> mismatches = new java.util.TreeMap<>();
            admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).forEach((name, description) -> {
                if (description.partitions().size() != partitions) {
                    mismatches.put(name, description.partitions().size());
                }
            });
            return mismatches;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe the fleet's topics: " + e.getMessage(), e);
        }
    }

    public static List<NewTopic> fleetTopics(int partitions) {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : Topics.dataFlowTopicNames()) {
            topics.add(new NewTopic(name, partitions, (short) 1));
        }
        for (String name : Topics.compactedTopicNames()) {
            topics.add(new NewTopic(name, 1, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        }
        return topics;
    }

    /**
     * The data-flow topics' partition count from {@link #PARTITIONS_VARIABLE}, or {@link #LOCAL_PARTITIONS} when it is
     * unset; anything but a whole number from 1 to {@value #MAX_LOCAL_PARTITIONS} is refused before anything starts.
     */
    public static int partitionsFrom(Map<String, String> environment) {
        String value = environment.get(PARTITIONS_VARIABLE);
        if (value == null || value.isBlank()) {
            return LOCAL_PARTITIONS;
        }
        int partitions;
        try {
            partitions = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PARTITIONS_VARIABLE + " must be a whole number of partitions, was '"
                    + value + "'");
        }
        if (partitions < 1 || partitions > MAX_LOCAL_PARTITIONS) {
            throw new IllegalArgumentException(PARTITIONS_VARIABLE + " must be between 1 and " + MAX_LOCAL_PARTITIONS
                    + ", was " + partitions);
        }
        return partitions;
    }

    /** Returns the names of the topics it created (empty when all existed), with {@link #LOCAL_PARTITIONS}. */
    public static List<String> ensureTopics(String bootstrapServers) {
        return ensureTopics(bootstrapServers, LOCAL_PARTITIONS);
    }

    /**
     * Creates the missing fleet topics, the data-flow ones with {@code partitions} partitions; returns the names of the
     * topics it created. Existing topics keep their partition count (Kafka cannot shrink a topic, and growing one
     * would move keys between partitions, so stored state would no longer match its input).
     */
    public static List<String> ensureTopics(String bootstrapServers, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = new HashSet<>(admin.listTopics().names().get(30, TimeUnit.SECONDS));
            List<NewTopic> missing = fleetTopics(partitions).stream()
                    .filter(t -> !existing.contains(t.name())).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
            return missing.stream().map(NewTopic::name).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the fleet's topics: " + e.getMessage(), e);
        }
    }
}

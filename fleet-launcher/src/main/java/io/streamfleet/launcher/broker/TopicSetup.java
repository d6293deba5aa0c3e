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

    private TopicSetup() {
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

    /** Returns the names of the topics it created (empty when all existed). */
    public static List<String> ensureTopics(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = new HashSet<>(admin.listTopics().names().get(30, TimeUnit.SECONDS));
            List<NewTopic> missing = fleetTopics(LOCAL_PARTITIONS).stream()
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

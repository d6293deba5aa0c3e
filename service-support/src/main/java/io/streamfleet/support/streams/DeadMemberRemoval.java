package io.streamfleet.support.streams;

import io.streamfleet.support.kafka.KafkaClients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.ThreadMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes a replaced stream thread's static member out of the consumer group, so that its replacement gets the tasks at
 * once. Kafka Streams shuts a dead thread down without leaving the group, and its replacement joins as a new member
 * (the next free thread index, so another {@code group.instance.id}): without this, the group waits for the dead
 * member's session to time out (30 s for our static members) before it hands its tasks on. Kafka Streams does the
 * same removal itself when a thread is removed on purpose ({@code KafkaStreams.removeStreamThread}).
 *
 * <p>Only static members can be removed this way; a dynamic dead member still costs its session timeout. A member
 * whose id a live thread uses again is left alone: that thread has already taken its place.
 */
final class DeadMemberRemoval {

    private static final Logger log = LoggerFactory.getLogger(DeadMemberRemoval.class);
    private static final Pattern THREAD_INDEX = Pattern.compile("-StreamThread-(\\d+)$");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final String applicationId;
    private final String instanceId;
    private final KafkaClients clients;
    private final Properties streamsConfig;
    private final Supplier<KafkaStreams> client;

    DeadMemberRemoval(KafkaClients clients, Properties streamsConfig, String instanceId,
                      Supplier<KafkaStreams> client) {
        this.applicationId = new StreamsConfig(streamsConfig).getString(StreamsConfig.APPLICATION_ID_CONFIG);
        this.instanceId = instanceId;
        this.clients = clients;
        this.streamsConfig = streamsConfig;
        this.client = client;
    }

    /** The thread index in a stream thread's name ({@code ...-StreamThread-2} gives 2), or -1. */
    static int threadIndex(String threadName) {
        Matcher m = THREAD_INDEX.matcher(threadName);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** Called on the dying thread: once it has ended, removes its member unless a live thread took its id. */
    void afterDeathOf(Thread deadThread) {
        int index = threadIndex(deadThread.getName());
        if (index < 0) {
            return;
        }
        String member = instanceId + "-" + index;
        Thread removal = new Thread(() -> remove(deadThread, index, member), "dead-member-removal-" + member);
        removal.setDaemon(true); // a rare event: a thread of its own, never in the way of a shutdown
        removal.start();
    }

    private void remove(Thread deadThread, int index, String member) {
        try {
            deadThread.join(WAIT.toMillis());
            KafkaStreams streams = client.get();
            if (streams == null || deadThread.isAlive() || indexInUse(streams, index)) {
                log.info("Not removing group member {}: {}", member, streams == null ? "the client is closed"
                        : deadThread.isAlive() ? "the dead thread has not ended" : "a live thread uses its id again");
                return;
            }
            // the admin settings Streams gives its own admin client, so it connects (and authenticates) as Streams does
            try (Admin admin = clients.streamsAdmin(streamsConfig, applicationId + "-dead-member-removal")) {
                admin.removeMembersFromConsumerGroup(applicationId, new RemoveMembersFromConsumerGroupOptions(
                        List.of(new MemberToRemove(member)))).all().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            log.info("Removed the replaced stream thread's static member {} from group {}", member, applicationId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the member then leaves when its session times out, as without this removal
            log.warn("Could not remove group member {} of a replaced stream thread: {}", member, e.toString());
        }
    }

    private static boolean indexInUse(KafkaStreams streams, int index) {
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            if (threadIndex(thread.threadName()) == index) {
                return true;
            }
        }
        return false;
    }
}

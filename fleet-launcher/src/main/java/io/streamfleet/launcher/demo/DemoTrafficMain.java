package io.streamfleet.launcher.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Demo traffic for local runs: order noise with, every 10 s, a burst-create / mass-cancel episode of varied size,
 * levels and ratio or a near miss that must not alert, in turn; and engagement sessions (in accelerated historical
 * time, so sessions close within minutes) where every fourth session of a user is much shorter than usual, plus one
 * user whose back-dated history ends in a short session, so an engagement drop shows within the first minute or so. Posts batches to the gateway with the development key; backs off on 429/503.
 */
public final class DemoTrafficMain {

    private static final Duration TICK = Duration.ofMillis(250);
    private static final Duration EPISODE_EVERY = Duration.ofSeconds(10);

    private DemoTrafficMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: DemoTrafficMain <gateway-url> <api-key-file>");
            System.exit(2);
        }
        URI endpoint = URI.create(args[0] + "/v1/events");
        String key = Files.readString(Path.of(args[1])).trim();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        DemoScenario scenario = new DemoScenario(System.currentTimeMillis(), 42L);
        long nextEpisode = System.currentTimeMillis() + 5_000;
        List<Map<String, Object>> early = scenario.earlyDropHistory();
        while (post(client, endpoint, key, DemoJson.array(early)) / 100 != 2 && !Thread.currentThread().isInterrupted()) {
            Thread.sleep(2_000);
        }
        long nextReport = System.currentTimeMillis() + 10_000;
        long sent = 0;
        long failed = 0;
        int episodes = 0;
        int nearMisses = 0;
        while (!Thread.currentThread().isInterrupted()) {
            long now = System.currentTimeMillis();
            List<Map<String, Object>> batch = scenario.tick(now);
            if (now >= nextEpisode) {
                DemoScenario.Episode episode = scenario.nextEpisode(now);
                batch.addAll(episode.events());
                if (episode.alerts()) {
                    episodes++;
                } else {
                    nearMisses++;
                }
                nextEpisode = now + EPISODE_EVERY.toMillis();
            }
            int status = post(client, endpoint, key, DemoJson.array(batch));
            if (status / 100 == 2) {
                sent += batch.size();
            } else {
                failed += batch.size();
                Thread.sleep(status == 429 || status == 503 ? 2_000 : 1_000);
            }
            if (now >= nextReport) {
                System.out.printf("demo traffic: %d events accepted, %d not accepted, %d burst episodes and %d near "
                        + "misses injected%n", sent, failed, episodes, nearMisses);
                nextReport = now + 10_000;
            }
            Thread.sleep(Math.max(0, TICK.toMillis() - (System.currentTimeMillis() - now)));
        }
    }

    private static int post(HttpClient client, URI endpoint, String key, String body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(endpoint)
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + key)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                System.out.println("gateway answered " + response.statusCode() + ": " + abbreviate(response.body()));
            }
            return response.statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (Exception e) {
            System.out.println("gateway unreachable: " + e.getMessage());
            return 0;
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}

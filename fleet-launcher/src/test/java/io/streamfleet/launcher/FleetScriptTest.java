package io.streamfleet.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code ./fleet} script on a checkout where nothing is built: answers that need no build, errors on stderr. */
class FleetScriptTest {

    @TempDir
    Path checkout;

    record Result(int code, String stdout, String stderr) {
    }

    private Result fleet(String... args) throws IOException, InterruptedException {
        Path script = checkout.resolve("fleet");
        if (!Files.exists(script)) {
            Files.copy(Path.of("..", "fleet"), script);
        }
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        Path out = checkout.resolve("out.txt");
        Path err = checkout.resolve("err.txt");
        Process process = new ProcessBuilder(command).directory(checkout.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void shouldPrintUsageListingBuildAndArchivesWithoutBuildingWhenAskedForHelp() throws Exception {
        Result help = fleet("help");
        assertThat(help.code()).isZero();
        assertThat(help.stdout()).contains("usage:").contains("./fleet build").contains("./fleet archives")
                .contains("./fleet up").contains("./fleet status").contains("./fleet down");
        assertThat(help.stderr()).isEmpty();
        assertThat(checkout.resolve("fleet-launcher")).doesNotExist();
    }

    @Test
    void shouldExitTwoWithUsageOnStderrWhenCommandIsUnknownOrMissing() throws Exception {
        Result unknown = fleet("launch");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.stdout()).isEmpty();
        assertThat(unknown.stderr()).contains("fleet: unknown command 'launch'").contains("usage:");
        Result none = fleet();
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.stdout()).isEmpty();
        assertThat(none.stderr()).contains("usage:");
    }

    @Test
    void shouldFailStatusOnStderrButLetDownSucceedWhenNothingIsBuilt() throws Exception {
        Result status = fleet("status");
        assertThat(status.code()).isEqualTo(1);
        assertThat(status.stdout()).isEmpty();
        assertThat(status.stderr()).contains("nothing is built yet");
        Result down = fleet("down");
        assertThat(down.code()).isZero();
        assertThat(down.stderr()).isEmpty();
    }
}

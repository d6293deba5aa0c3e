package io.streamfleet.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** The local-mode development API key: generated once, kept in {@code .fleet/dev-api-key} (owner-readable only). */
public final class DevApiKey {

    private DevApiKey() {
    }

    public static String loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                String key = Files.readString(file).trim();
                if (!key.isEmpty()) {
                    return key;
                }
            }
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String key = "sf_dev_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.createDirectories(file.getParent());
            Files.writeString(file, key + "\n");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // non-POSIX file system: the key is for local development only
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }
}

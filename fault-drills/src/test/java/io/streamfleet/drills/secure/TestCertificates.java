package io.streamfleet.drills.secure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away CA, a broker key store signed by it (CN and SAN localhost / 127.0.0.1) and a trust store holding the
 * CA, all PKCS12, made with the JDK's keytool so the test needs no extra library and no network.
 */
record TestCertificates(Path brokerKeyStore, Path trustStore, String password) {

    static TestCertificates create(Path dir) {
        String pw = "streamfleet-test";
        Path ca = dir.resolve("ca.p12");
        Path broker = dir.resolve("broker.p12");
        Path trust = dir.resolve("truststore.p12");
        String san = "SAN=dns:localhost,ip:127.0.0.1";
        keytool(dir, "-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=streamfleet-test-ca", "-ext", "bc:c", "-keystore", ca, "-storetype", "PKCS12",
                "-storepass", pw);
        keytool(dir, "-exportcert", "-rfc", "-alias", "ca", "-keystore", ca, "-storepass", pw, "-file", "ca.crt");
        keytool(dir, "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", san, "-keystore", broker, "-storetype", "PKCS12", "-storepass", pw);
        keytool(dir, "-certreq", "-alias", "broker", "-keystore", broker, "-storepass", pw, "-file", "broker.csr");
        keytool(dir, "-gencert", "-rfc", "-alias", "ca", "-keystore", ca, "-storepass", pw, "-infile", "broker.csr",
                "-outfile", "broker.crt", "-ext", san, "-validity", "2");
        // the chain needs the CA in the broker's store before its signed certificate replaces the self-signed one
        keytool(dir, "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.crt", "-keystore", broker,
                "-storepass", pw);
        keytool(dir, "-importcert", "-alias", "broker", "-file", "broker.crt", "-keystore", broker, "-storepass", pw);
        keytool(dir, "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.crt", "-keystore", trust,
                "-storetype", "PKCS12", "-storepass", pw);
        return new TestCertificates(broker, trust, pw);
    }

    private static void keytool(Path dir, Object... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        for (Object arg : args) {
            command.add(arg.toString());
        }
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package io.streamfleet.alerts.webhook.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;

class TargetGuardTest {

    private final TargetGuard guard = new TargetGuard(false, host -> new InetAddress[]{InetAddress.getByName(host)});

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/x", "http://10.1.2.3/", "http://172.16.0.1/", "http://192.168.1.1/",
            "http://169.254.169.254/latest/meta-data", "http://[::1]/", "http://[fe80::1]/", "http://[fd00::1]/",
            "http://0.0.0.0/", "http://100.64.0.1/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:10.0.0.1]/",
            "http://224.0.0.1/"})
    void shouldRefuseWhenTheTargetIsNotPublic(String url) {
        assertThat(guard.refusal(url)).hasValueSatisfying(reason -> assertThat(reason).contains("non-public"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://93.184.215.14/hook", "http://8.8.8.8:8080/x", "https://[2606:4700::1]/"})
    void shouldAllowWhenTheTargetIsPublic(String url) {
        assertThat(guard.refusal(url)).isEmpty();
    }

    @Test
    void shouldRefuseAHostWhenAnyOfItsAddressesIsPrivate() {
        TargetGuard dns = new TargetGuard(false, host -> new InetAddress[]{
                InetAddress.getByName("8.8.8.8"), InetAddress.getByName("10.0.0.7")});
        assertThat(dns.refusal("https://hooks.example.com/x")).isPresent();
    }

    @Test
    void shouldRefuseWhenTheHostDoesNotResolve() {
        TargetGuard dns = new TargetGuard(false, host -> {
            throw new UnknownHostException(host);
        });
        assertThat(dns.refusal("https://nowhere.invalid/")).hasValueSatisfying(r -> assertThat(r).contains("resolve"));
    }

    @Test
    void shouldRefuseOtherSchemesAndCredentialsWhenPrivateTargetsAreAllowed() {
        TargetGuard local = new TargetGuard(true, host -> {
            throw new UnknownHostException(host);
        });
        assertThat(local.refusal("ftp://example.com/")).isPresent();
        assertThat(local.refusal("file:///etc/passwd")).isPresent();
        assertThat(local.refusal("http://user:pw@example.com/")).isPresent();
        assertThat(local.refusal("not a url")).isPresent();
        assertThat(local.refusal("http://127.0.0.1:8080/hook")).isEmpty();
    }
}

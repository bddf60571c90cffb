package org.sessionbridge.connector.microsoft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MicrosoftSettingsTest {

  @Test
  void defaultsAreMicrosoftsHostsWithoutTrailingSlash() {
    MicrosoftSettings d = MicrosoftSettings.defaults();
    assertThat(d.graphBaseUrl()).isEqualTo("https://graph.microsoft.com/v1.0");
    assertThat(d.loginBaseUrl()).isEqualTo("https://login.microsoftonline.com");
    assertThat(
            MicrosoftSettings.at("http://127.0.0.1:1/v1.0/", "http://127.0.0.1:1/").graphBaseUrl())
        .isEqualTo("http://127.0.0.1:1/v1.0");
  }

  @Test
  void badValuesNameTheProperty() {
    assertThatThrownBy(
            () -> MicrosoftSettings.at("graph.microsoft.com", "https://login.microsoftonline.com"))
        .hasMessageStartingWith(
            "sessionbridge.microsoft.graph-base-url must be an absolute http(s) URL");
    assertThatThrownBy(() -> MicrosoftSettings.at("https://graph.microsoft.com/v1.0", "ftp://x"))
        .hasMessageStartingWith("sessionbridge.microsoft.login-base-url");
    assertThatThrownBy(() -> MicrosoftSettings.defaults().withDeltaPageSize(0))
        .hasMessageStartingWith("sessionbridge.microsoft.delta-page-size");
    assertThatThrownBy(
            () -> MicrosoftSettings.defaults().withTimeouts(Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessageStartingWith("sessionbridge.microsoft.connect-timeout");
  }

  @Test
  void resilienceKeepsAMailboxWithinOutlooksFourConcurrentRequests() {
    assertThat(MicrosoftResilience.defaults().concurrentPerMailbox()).isEqualTo(4);
    assertThatThrownBy(
            () ->
                new MicrosoftResilience(
                    10,
                    5,
                    50,
                    Duration.ofSeconds(30),
                    2,
                    5,
                    Duration.ZERO,
                    3,
                    Duration.ofMillis(500),
                    Duration.ofSeconds(5)))
        .hasMessageStartingWith("sessionbridge.microsoft.resilience.concurrent-per-mailbox");
  }

  @Test
  void credentialsHideTheSecret() {
    assertThat(new MicrosoftCredentials("t", "c", "s3cr3t-value").toString())
        .doesNotContain("s3cr3t-value");
    assertThatThrownBy(() -> new MicrosoftCredentials("t/../x", "c", "s"))
        .hasMessageContaining("tenantId");
  }
}

package org.sessionbridge.config.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sessionbridge.config.SessionBridgeApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A hub with a bad setting refuses to start and names the property and what to do. */
@ExtendWith(OutputCaptureExtension.class)
class SettingsCheckTest {

  private static final String KEY =
      "--sessionbridge.security.operator-key=a-long-enough-operator-key-1";

  /** Starts a hub with these command-line arguments (they win over application.yml). */
  private static ThrowingCallable hub(String... arguments) {
    return () -> {
      String[] args = new String[arguments.length + 2];
      args[0] = "--server.port=0";
      args[1] =
          "--spring.datasource.url=jdbc:h2:mem:settings-"
              + UUID.randomUUID()
              + ";DB_CLOSE_DELAY=-1";
      System.arraycopy(arguments, 0, args, 2, arguments.length);
      // A hub that starts despite a bad setting is closed again, and the assertion fails.
      new SpringApplicationBuilder(SessionBridgeApplication.class).run(args).close();
    };
  }

  @Test
  void refusesToStartWithoutOperatorKeyOutsideTheDemo(CapturedOutput output) {
    assertThatThrownBy(hub())
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining(
            "sessionbridge.security.operator-key is required outside the demo profile");
    assertThat(output.getAll())
        .contains("APPLICATION FAILED TO START")
        .contains("openssl rand -base64 32");
  }

  @Test
  void refusesAShortOperatorKeyWithoutPrintingIt() {
    assertThatThrownBy(hub("--sessionbridge.security.operator-key=letmein"))
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining("sessionbridge.security.operator-key is too short")
        .hasMessageNotContaining("letmein");
  }

  @Test
  void refusesAMalformedBaseUrl() {
    assertThatThrownBy(hub(KEY, "--sessionbridge.zoom.api-base-url=ftp://zoom.example"))
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining("sessionbridge.zoom.api-base-url must be an absolute http(s) URL");
  }

  @Test
  void refusesNonsenseLimits() {
    assertThatThrownBy(hub(KEY, "--sessionbridge.outbox.workers=0"))
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining("sessionbridge.outbox.workers must be at least 1");
  }

  @Test
  void refusesHalfAZoomUserLevelAppWithoutPrintingTheSecret() {
    assertThatThrownBy(
            hub(KEY, "--sessionbridge.zoom.user-oauth.client-secret=half-of-an-app-secret"))
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining("sessionbridge.zoom.user-oauth.client-id is missing")
        .hasMessageNotContaining("half-of-an-app-secret");
  }

  @Test
  void refusesNonsenseCalendarSettingsAndHalfAGoogleClient() {
    assertThatThrownBy(hub(KEY, "--sessionbridge.calendars.workers=0"))
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining("sessionbridge.calendars.workers must be at least 1");
    assertThatThrownBy(hub(KEY, "--sessionbridge.calendars.lease=5s"))
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining("sessionbridge.calendars.lease must be at least");
    assertThatThrownBy(hub(KEY, "--sessionbridge.google.client-secret=half-a-google-secret"))
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining("sessionbridge.google.client-id is missing")
        .hasMessageNotContaining("half-a-google-secret");
  }

  @Test
  void refusesNonsenseResilienceSettingsNamingTheProperty() {
    assertThatThrownBy(hub(KEY, "--sessionbridge.google.resilience.requests-per-period=0"))
        .rootCause() // thrown while the connector's bean is made; the analyzer finds it there
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining(
            "sessionbridge.google.resilience.requests-per-period must be at least 1");
    assertThatThrownBy(hub(KEY, "--sessionbridge.zoom.resilience.breaker-failure-rate-percent=120"))
        .rootCause() // thrown while the connector's bean is made; the analyzer finds it there
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining(
            "sessionbridge.zoom.resilience.breaker-failure-rate-percent must be 1 to 100");
  }

  @Test
  void refusesNonsenseNotificationSettingsWithoutPrintingThePassword() {
    assertThatThrownBy(hub(KEY, "--sessionbridge.notifications.smtp.host=smtp://mail.example"))
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining("sessionbridge.notifications.smtp.host must be a host name");
    assertThatThrownBy(
            hub(
                KEY,
                "--sessionbridge.notifications.smtp.host=mail.example",
                "--sessionbridge.notifications.smtp.password=smtp-s3cret-value"))
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining("sessionbridge.notifications.smtp.username is missing")
        .hasMessageNotContaining("smtp-s3cret-value");
    assertThatThrownBy(hub(KEY, "--sessionbridge.notifications.sms.base-url=ftp://sms.example"))
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining("sessionbridge.notifications.sms.base-url must be an absolute");
    assertThatThrownBy(hub(KEY, "--sessionbridge.notifications.lease=30s"))
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining("sessionbridge.notifications.lease must be at least twice");
    assertThatThrownBy(hub(KEY, "--sessionbridge.notifications.workers=0"))
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining("sessionbridge.notifications.workers must be at least 1");
  }

  @Test
  void refusesNonsenseMicrosoftResilienceNamingTheProperty() {
    assertThatThrownBy(hub(KEY, "--sessionbridge.microsoft.resilience.concurrent-per-mailbox=0"))
        .rootCause()
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining("sessionbridge.microsoft.resilience.concurrent-per-mailbox");
  }

  @Test
  void startsWithAValidOperatorKey() {
    org.assertj.core.api.Assertions.assertThatCode(hub(KEY)).doesNotThrowAnyException();
  }
}

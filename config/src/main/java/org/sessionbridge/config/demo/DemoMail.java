package org.sessionbridge.config.demo;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.time.Duration;
import org.sessionbridge.routes.notification.SmtpSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * The demo's mail catcher: an in-process SMTP server (GreenMail) on a free port of this machine, so
 * confirmations and reminders really go out over SMTP through camel-mail and land somewhere the
 * demo can show. Used only while {@code sessionbridge.notifications.smtp.host} is unset.
 */
@Configuration(proxyBeanMethods = false)
@Profile("demo")
class DemoMail {

  static final String FROM = "reminders@harbor.example";

  @Bean(destroyMethod = "stop")
  GreenMail demoMailCatcher() {
    GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    mail.start();
    return mail;
  }

  /** Where the hub sends mail in the demo (NotificationWiring prefers a configured server). */
  @Bean
  SmtpSettings demoSmtp(GreenMail demoMailCatcher) {
    return new SmtpSettings(
        "127.0.0.1",
        demoMailCatcher.getSmtp().getPort(),
        null,
        null,
        FROM,
        false,
        Duration.ofSeconds(10));
  }
}

package org.sessionbridge.routes.notification;

import jakarta.activation.DataHandler;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.component.mail.MailConfiguration;
import org.apache.camel.component.mail.MailEndpoint;
import org.apache.camel.support.DefaultExchange;

/**
 * Sends e-mail over SMTP through camel-mail's producer. The message is built here as a MIME message
 * (camel-mail sends a {@link MimeMessage} body as it is): text, plus the .ics as a {@code
 * text/calendar; method=...} part, and a Message-ID that is stable per notification row so that the
 * rare second copy after a crash (docs/NOTIFICATIONS.md) is recognisable as the same message. The
 * credentials live in the endpoint's configuration, never in its URI.
 */
public final class SmtpMailer {

  private final CamelContext camel;
  private final SmtpSettings settings;
  private final MailEndpoint endpoint;
  private final Session session;
  private final ProducerTemplate producer;

  public SmtpMailer(CamelContext camel, SmtpSettings settings) {
    this.camel = camel;
    this.settings = settings;
    MailConfiguration configuration = new MailConfiguration(camel);
    String uri = "smtp://" + settings.host() + ":" + settings.port();
    configuration.configure(URI.create(uri));
    configuration.setFrom(settings.from());
    if (settings.username() != null && !settings.username().isBlank()) {
      configuration.setUsername(settings.username());
      configuration.setPassword(settings.password());
    }
    int timeout = (int) settings.timeout().toMillis();
    configuration.setConnectionTimeout(timeout);
    Properties mail = new Properties();
    mail.put("mail.smtp.timeout", String.valueOf(timeout));
    mail.put("mail.smtp.writetimeout", String.valueOf(timeout));
    mail.put("mail.smtp.connectiontimeout", String.valueOf(timeout));
    if (settings.starttls()) {
      mail.put("mail.smtp.starttls.enable", "true");
      mail.put("mail.smtp.starttls.required", "true");
    }
    configuration.setAdditionalJavaMailProperties(mail);
    MailComponent component = new MailComponent(camel);
    component.setConfiguration(configuration);
    this.endpoint = new MailEndpoint(uri, component, configuration);
    this.endpoint.setCamelContext(camel);
    this.session = Session.getInstance(new Properties());
    this.producer = camel.createProducerTemplate();
  }

  /** Sends {@code email}; never throws for a mail failure. */
  Delivery send(Email email) {
    MimeMessage message;
    try {
      message = mime(email);
    } catch (MessagingException e) {
      return new Delivery.Refused("message could not be built: " + e.getClass().getSimpleName());
    }
    Exchange exchange = new DefaultExchange(camel);
    exchange.getIn().setBody(message);
    Exchange done = producer.send(endpoint, exchange);
    Exception failure = done.getException();
    return failure == null ? new Delivery.Accepted() : classify(failure);
  }

  /**
   * A server that refuses every recipient (5xx on RCPT) will refuse again; anything else (no
   * connection, a timeout, a 4xx, refused credentials that an operator may fix) is retried.
   */
  static Delivery classify(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof AuthenticationFailedException) {
        return new Delivery.Retry("SMTP authentication failed", null);
      }
      if (t instanceof SendFailedException sendFailed
          && sendFailed.getValidSentAddresses() == null
          && sendFailed.getValidUnsentAddresses() == null
          && sendFailed.getInvalidAddresses() != null
          && sendFailed.getInvalidAddresses().length > 0) {
        return new Delivery.Refused("SMTP server refused the recipient");
      }
    }
    return new Delivery.Retry("SMTP send failed: " + failure.getClass().getSimpleName(), null);
  }

  private MimeMessage mime(Email email) throws MessagingException {
    String id = "<" + email.messageId() + ">";
    MimeMessage message =
        new MimeMessage(session) {
          @Override
          protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", id);
          }
        };
    message.setFrom(new InternetAddress(settings.from()));
    message.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(email.to()));
    message.setSubject(email.subject(), StandardCharsets.UTF_8.name());
    message.setSentDate(new Date());
    Email.Calendar calendar = email.calendar();
    if (calendar == null) {
      message.setText(email.text(), StandardCharsets.UTF_8.name());
    } else {
      MimeMultipart mixed = new MimeMultipart("mixed");
      MimeBodyPart text = new MimeBodyPart();
      text.setText(email.text(), StandardCharsets.UTF_8.name());
      mixed.addBodyPart(text);
      MimeBodyPart ics = new MimeBodyPart();
      String type = "text/calendar; charset=UTF-8; method=" + calendar.method();
      ics.setDataHandler(new DataHandler(new ByteArrayDataSource(calendar.ics(), type)));
      ics.setHeader("Content-Type", type + "; name=invite.ics");
      ics.setFileName("invite.ics");
      mixed.addBodyPart(ics);
      message.setContent(mixed);
    }
    message.saveChanges();
    return message;
  }
}

package org.sessionbridge.config.feeds;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.sessionbridge.config.settings.SessionBridgeProperties;
import org.sessionbridge.core.appointment.AppointmentBook;
import org.sessionbridge.core.feed.FeedStore;
import org.sessionbridge.core.join.JoinPassLinks;
import org.sessionbridge.core.meeting.MeetingStore;
import org.sessionbridge.core.practice.PracticeStore;
import org.sessionbridge.ics.FeedRenderer;
import org.sessionbridge.ics.InvitationRenderer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** Feeds and invitations: store, renderers (one warm instance each), cache and its invalidation. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FeedSettings.class)
class FeedWiring {

  @Bean
  FeedStore feedStore(JdbcClient jdbc, Clock clock) {
    return new FeedStore(jdbc, clock);
  }

  @Bean
  FeedRenderer feedRenderer() {
    return new FeedRenderer();
  }

  @Bean
  InvitationRenderer invitationRenderer(Clock clock) {
    return new InvitationRenderer(clock);
  }

  /** Runs first among change handlers: cheap, and a stale feed is what subscribers notice. */
  @Bean
  @Order(0)
  FeedGenerations feedGenerations() {
    return new FeedGenerations();
  }

  @Bean
  FeedContent feedContent(
      FeedStore feeds,
      PracticeStore practices,
      MeetingStore meetings,
      AppointmentBook book,
      FeedRenderer renderer,
      FeedGenerations generations,
      FeedSettings settings,
      Clock clock,
      JoinPassLinks joinLinks,
      SessionBridgeProperties properties) {
    return new FeedContent(
        feeds,
        practices,
        meetings,
        book,
        renderer,
        generations,
        settings,
        clock,
        properties.join().clientLinks() ? joinLinks : null);
  }

  @Bean
  MissLimiter feedMissLimiter(FeedSettings settings, Clock clock) {
    return new MissLimiter(clock, settings.missesPerMinute());
  }

  /**
   * A 64 KiB socket write buffer instead of Tomcat's 8 KiB: a 500-session feed is ~260 KB, and
   * every buffer's worth is one more system call (measured in docs/BENCHMARKS.md).
   */
  @Bean
  TomcatConnectorCustomizer feedSizedWriteBuffer() {
    return connector -> connector.setProperty("socket.appWriteBufSize", "65536");
  }

  @Bean
  FeedAccess feedAccess(FeedContent content, MissLimiter misses) {
    return new FeedAccess(content, misses);
  }

  /** Ahead of everything else: feed polls are the hottest path and need nothing but the cache. */
  @Bean
  FilterRegistrationBean<FeedServingFilter> feedServingFilter(
      FeedAccess access, FeedContent content, FeedSettings settings, MeterRegistry meters) {
    FilterRegistrationBean<FeedServingFilter> registration =
        new FilterRegistrationBean<>(new FeedServingFilter(access, content, settings, meters));
    registration.addUrlPatterns("/feeds/*");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }

  @Bean
  FeedIssuer feedIssuer(
      FeedStore feeds,
      FeedContent content,
      TransactionTemplate tx,
      SessionBridgeProperties properties) {
    return new FeedIssuer(feeds, content, tx, properties);
  }

  @Bean
  Invitations invitations(
      AppointmentBook book,
      PracticeStore practices,
      MeetingStore meetings,
      InvitationRenderer renderer,
      FeedSettings settings,
      JoinPassLinks joinLinks,
      SessionBridgeProperties properties) {
    return new Invitations(
        book,
        practices,
        meetings,
        renderer,
        settings,
        properties.join().clientLinks() ? joinLinks : null);
  }
}

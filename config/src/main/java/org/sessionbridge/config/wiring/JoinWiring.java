package org.sessionbridge.config.wiring;

import java.time.Clock;
import org.sessionbridge.config.settings.SessionBridgeProperties;
import org.sessionbridge.core.join.JoinPassLinks;
import org.sessionbridge.core.join.JoinPasses;
import org.sessionbridge.core.join.JoinWindow;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Time-boxed join links ({@code sessionbridge.join.*}, docs/JOIN-LINKS.md). */
@Configuration(proxyBeanMethods = false)
class JoinWiring {

  @Bean
  JoinPasses joinPasses(JdbcClient jdbc, Clock clock) {
    return new JoinPasses(jdbc, clock);
  }

  @Bean
  JoinPassLinks joinPassLinks(JoinPasses passes, SessionBridgeProperties properties) {
    return new JoinPassLinks(passes, properties.publicBaseUrl());
  }

  @Bean
  JoinWindow joinWindow(SessionBridgeProperties properties) {
    return new JoinWindow(properties.join().opensBefore(), properties.join().closesAfter());
  }
}

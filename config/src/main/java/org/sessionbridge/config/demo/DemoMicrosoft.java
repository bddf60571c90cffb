package org.sessionbridge.config.demo;

import org.sessionbridge.config.settings.SessionBridgeProperties;
import org.sessionbridge.connector.microsoft.fake.GraphFake;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * The demo's Microsoft 365: an in-process fake that speaks Microsoft Graph's and the identity
 * platform's wire protocol (client credentials, the consent screen, online meetings with lobby
 * settings, Outlook events, delta, subscriptions), so the real connector runs offline. The hub is
 * pointed at it instead of graph.microsoft.com (see {@code MicrosoftWiring}). The demo practice's
 * tenant has an app for Teams meetings; the hub's own app lets providers link Outlook.
 */
@Configuration(proxyBeanMethods = false)
@Profile("demo")
class DemoMicrosoft {

  static final String TENANT = "harbor-demo-tenant";
  static final String CLIENT_ID = "demo-teams-app";
  static final String CLIENT_SECRET = "demo-teams-secret-not-for-real-use";

  @Bean(destroyMethod = "close")
  GraphFake demoGraphFake(SessionBridgeProperties properties) {
    SessionBridgeProperties.Microsoft hubApp = properties.microsoft();
    GraphFake graph =
        GraphFake.start(0)
            .addApp(TENANT, CLIENT_ID, CLIENT_SECRET)
            .addDelegatedApp(
                String.valueOf(hubApp.clientId()), String.valueOf(hubApp.clientSecret()));
    graph.addUser(TENANT, DemoGoogle.MAYA);
    graph.addUser(TENANT, DemoGoogle.SAM);
    return graph;
  }
}

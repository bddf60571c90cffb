package org.sessionbridge.config.demo;

import org.sessionbridge.connector.zoom.fake.ZoomFake;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * The demo's Zoom: an in-process fake that speaks Zoom's wire protocol (OAuth, meetings, the daily
 * budget, signed webhooks), so the real connector runs offline. The hub is pointed at it instead of
 * api.zoom.us (see {@code ConnectionWiring}); nothing leaves the machine.
 */
@Configuration(proxyBeanMethods = false)
@Profile("demo")
class DemoZoom {

  static final String ACCOUNT = "demo-zoom-account";
  static final String CLIENT_ID = "demo-zoom-client";
  static final String CLIENT_SECRET = "demo-zoom-secret-not-for-real-use";

  @Bean(destroyMethod = "close")
  ZoomFake demoZoomFake() {
    ZoomFake zoom = ZoomFake.start(0).addAccount(ACCOUNT, CLIENT_ID, CLIENT_SECRET);
    zoom.addUser(ACCOUNT, "maya.chen@harbor.example");
    zoom.addUser(ACCOUNT, "sam.rivera@harbor.example");
    return zoom;
  }
}

package org.sessionbridge.config;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The SessionBridge hub. {@code java -jar sessionbridge.jar --spring.profiles.active=demo} runs the
 * offline demo.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SessionBridgeApplication {

  public static void main(String[] args) {
    SpringApplication.run(SessionBridgeApplication.class, args);
  }
}

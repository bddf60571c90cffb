package org.sessionbridge.config.settings;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link ConfigurationError} into Spring Boot's short "APPLICATION FAILED TO START" report.
 */
public final class ConfigurationErrorAnalyzer extends AbstractFailureAnalyzer<ConfigurationError> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, ConfigurationError cause) {
    return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
  }
}

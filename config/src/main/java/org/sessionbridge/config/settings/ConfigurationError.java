package org.sessionbridge.config.settings;

/** A setting that keeps the hub from starting, with the property named and what to do about it. */
public final class ConfigurationError extends RuntimeException {

  private final String property;
  private final String action;

  public ConfigurationError(String property, String problem, String action) {
    super(property + " " + problem);
    this.property = property;
    this.action = action;
  }

  public String property() {
    return property;
  }

  public String action() {
    return action;
  }
}

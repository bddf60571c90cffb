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

  /**
   * From a validation failure whose message starts with the property it names ({@code
   * "sessionbridge.x.y must be …"}), as the connectors' settings records write them.
   */
  public static ConfigurationError named(
      IllegalArgumentException e, String fallbackProperty, String action) {
    String message = String.valueOf(e.getMessage());
    int space = message.indexOf(' ');
    return space > 0 && message.startsWith("sessionbridge.")
        ? new ConfigurationError(message.substring(0, space), message.substring(space + 1), action)
        : new ConfigurationError(fallbackProperty, message, action);
  }

  public String property() {
    return property;
  }

  public String action() {
    return action;
  }
}

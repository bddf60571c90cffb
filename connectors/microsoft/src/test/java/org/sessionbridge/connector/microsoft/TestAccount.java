package org.sessionbridge.connector.microsoft;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.sessionbridge.core.calendar.CalendarAccount;

/** A linked account whose tokens the test chooses; records invalidations. */
final class TestAccount implements CalendarAccount {

  private final Supplier<String> tokens;
  final List<String> invalidated = new ArrayList<>();

  TestAccount(Supplier<String> tokens) {
    this.tokens = tokens;
  }

  static TestAccount fixed(String token) {
    return new TestAccount(() -> token);
  }

  @Override
  public String id() {
    return "microsoft:test-provider";
  }

  @Override
  public String accessToken() {
    return tokens.get();
  }

  @Override
  public synchronized void invalidate(String rejected) {
    invalidated.add(rejected);
  }
}

package org.sessionbridge.connector.google;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.sessionbridge.core.calendar.CalendarAccount;

/**
 * Hands out {@code token-1}, then after each invalidation the next number; records invalidations.
 */
class TestAccount implements CalendarAccount {
  private final String id;
  private final AtomicInteger generation = new AtomicInteger(1);
  final List<String> invalidated = new CopyOnWriteArrayList<>();

  TestAccount(String id) {
    this.id = id;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String accessToken() {
    return "token-" + generation.get();
  }

  @Override
  public void invalidate(String rejected) {
    invalidated.add(rejected);
    generation.compareAndSet(
        Integer.parseInt(rejected.substring("token-".length())), generation.get() + 1);
  }
}

package org.sessionbridge.core.feed;

/** A feed with its secret, which exists only here and in the one answer that shows it. */
public record IssuedFeed(Feed feed, String secret) {

  @Override
  public String toString() {
    return "IssuedFeed[feed=" + feed.id() + ", secret=<redacted>]";
  }
}

package org.sessionbridge.core.feed;

/** Whose sessions a feed lists. */
public enum FeedOwner {
  PROVIDER,
  CLIENT
}

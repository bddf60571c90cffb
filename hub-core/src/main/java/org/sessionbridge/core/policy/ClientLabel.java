package org.sessionbridge.core.policy;

/**
 * How a provider's calendar output names clients. INITIALS is the default; REFERENCE is an internal
 * code ("most secure"); NONE shows no client at all. Full names are not an option: feeds are
 * fetched and cached by third parties (Google, Microsoft) outside any BAA.
 */
public enum ClientLabel {
  INITIALS,
  REFERENCE,
  NONE
}

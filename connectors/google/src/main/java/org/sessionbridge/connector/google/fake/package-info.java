/**
 * An in-process, stateful fake of Google Calendar API v3 (events, sync tokens, watch channels) and
 * Google's OAuth token endpoint on the JDK's HTTP server, following the wire facts of API-NOTES §3,
 * so that the real {@link org.sessionbridge.connector.google.GoogleCalendarProvider} can be
 * exercised offline by tests, the demo profile and the benchmark. {@link
 * org.sessionbridge.connector.google.fake.GoogleFake} is the entry point. Never point production
 * configuration at it.
 */
@NullMarked
package org.sessionbridge.connector.google.fake;

import org.jspecify.annotations.NullMarked;

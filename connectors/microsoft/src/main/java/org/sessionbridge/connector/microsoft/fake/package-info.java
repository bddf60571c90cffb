/**
 * {@link org.sessionbridge.connector.microsoft.fake.GraphFake}: an in-process, wire-compatible fake
 * of Microsoft Graph (Teams online meetings, Outlook events, calendar delta, subscriptions) and of
 * the Microsoft identity platform's token endpoint, for tests, the demo profile and benchmarks.
 */
@NullMarked
package org.sessionbridge.connector.microsoft.fake;

import org.jspecify.annotations.NullMarked;

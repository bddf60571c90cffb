/**
 * An in-process, stateful fake of the Zoom API ({@code /oauth/token} and the {@code /v2} meeting
 * calls) on the JDK's HTTP server, following the wire facts of API-NOTES §1, so that the real
 * {@link org.sessionbridge.connector.zoom.ZoomApi} can be exercised offline by tests, the demo
 * profile and the benchmark. {@link org.sessionbridge.connector.zoom.fake.ZoomFake} is the entry
 * point. Never point production configuration at it.
 */
@NullMarked
package org.sessionbridge.connector.zoom.fake;

import org.jspecify.annotations.NullMarked;

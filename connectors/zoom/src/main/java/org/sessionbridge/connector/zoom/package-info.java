/**
 * Zoom for SessionBridge. {@link org.sessionbridge.connector.zoom.ZoomMeetingPlatform} implements
 * hub-core's {@code MeetingPlatform} port per practice, guarded by Resilience4j; beneath it {@link
 * org.sessionbridge.connector.zoom.ZoomApi} is the low-level REST API v2 client (Server-to-Server
 * OAuth and the meeting calls), whose every failure is a {@link
 * org.sessionbridge.connector.zoom.ZoomException}. {@link
 * org.sessionbridge.connector.zoom.ZoomWebhooks} verifies and parses webhook deliveries.
 */
@NullMarked
package org.sessionbridge.connector.zoom;

import org.jspecify.annotations.NullMarked;

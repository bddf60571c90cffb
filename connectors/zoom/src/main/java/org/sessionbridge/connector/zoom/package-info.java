/**
 * Low-level Zoom REST API v2 client: Server-to-Server OAuth and the meeting calls SessionBridge
 * needs. {@link org.sessionbridge.connector.zoom.ZoomApi} is the entry point; every failure is a
 * {@link org.sessionbridge.connector.zoom.ZoomException}.
 */
@NullMarked
package org.sessionbridge.connector.zoom;

import org.jspecify.annotations.NullMarked;

/**
 * ICS subscription feeds and invitations over HTTP: issuing, serving with real 304s, subscribe
 * page.
 */
@NullMarked
package org.sessionbridge.config.feeds;

import org.jspecify.annotations.NullMarked;

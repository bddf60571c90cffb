/** What the hub's work routes (meetings, calendars) share. */
@NullMarked
package org.sessionbridge.routes.work;

import org.jspecify.annotations.NullMarked;

/**
 * The notification route (docs/NOTIFICATIONS.md): the outbox handler that plans confirmations,
 * notices and reminders per appointment version, and the route that sends due ones by e-mail (SMTP
 * through camel-mail) and SMS (an HTTP gateway) under a lease.
 */
@NullMarked
package org.sessionbridge.routes.notification;

import org.jspecify.annotations.NullMarked;

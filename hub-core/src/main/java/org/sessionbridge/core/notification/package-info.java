/**
 * Notifications: confirmations, reschedule and cancellation notices and reminders, planned per
 * appointment version and sent by the notification route (docs/NOTIFICATIONS.md).
 */
@NullMarked
package org.sessionbridge.core.notification;

import org.jspecify.annotations.NullMarked;

/**
 * iCalendar output: subscription feeds and single-appointment invitations. Input is a projection
 * that core privacy policy already made (no client names unless the practice chose so); this
 * package only renders it, byte-exact and fast.
 */
@NullMarked
package org.sessionbridge.ics;

import org.jspecify.annotations.NullMarked;

/**
 * Hub-managed telehealth meetings: what each appointment needs (its plan), what exists on the
 * platform, the audit of every change the hub made, and the reference that finds a meeting again
 * after a lost answer.
 */
@NullMarked
package org.sessionbridge.core.meeting;

import org.jspecify.annotations.NullMarked;

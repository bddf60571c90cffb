/**
 * Providers' availability: weekly working sections in the provider's zone, expanded to instants
 * across DST changes ({@link org.sessionbridge.core.availability.SlotCalculator}), minus booked
 * sessions and busy time from linked calendars; and the check that keeps bookings inside them.
 */
@NullMarked
package org.sessionbridge.core.availability;

import org.jspecify.annotations.NullMarked;

package org.sessionbridge.core.availability;

import java.time.Instant;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.practice.VideoPlatform;

/**
 * A bookable slot.
 *
 * @param modalities the sessions that can be booked in it
 * @param platforms for telehealth, the video services offered throughout the slot (empty when the
 *     provider offers none: the session is then booked without a platform); {@code null} when the
 *     slot is for in-person sessions only
 */
public record Slot(
    Instant start, Instant end, Set<Modality> modalities, @Nullable Set<VideoPlatform> platforms) {}

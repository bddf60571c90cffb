package org.sessionbridge.core.practice;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.policy.ClientLabel;

/**
 * Practice-wide settings that shape calendar output.
 *
 * @param location the address in-person sessions carry in calendars, or null
 * @param feedClientLabel how provider feeds name clients (initials by default)
 * @param updatedAt when these settings last changed, or null if never
 */
public record PracticeSettings(
    @Nullable String location, ClientLabel feedClientLabel, @Nullable Instant updatedAt) {}

/**
 * Secrets at rest: client secrets and OAuth tokens of the practices' connected accounts, sealed
 * with AES-GCM under a configured key that can be rotated.
 */
@NullMarked
package org.sessionbridge.core.credential;

import org.jspecify.annotations.NullMarked;

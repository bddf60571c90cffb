/** Policies that decide what leaves the hub: privacy of calendar output, and later compliance. */
@NullMarked
package org.sessionbridge.core.policy;

import org.jspecify.annotations.NullMarked;

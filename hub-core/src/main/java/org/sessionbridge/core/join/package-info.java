/** Time-boxed join links: participants' passes to telehealth sessions and when they work. */
@NullMarked
package org.sessionbridge.core.join;

import org.jspecify.annotations.NullMarked;

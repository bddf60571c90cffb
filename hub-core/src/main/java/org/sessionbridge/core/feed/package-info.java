/** Secret ICS subscription feeds: issuing, revoking and resolving them, and what each may show. */
@NullMarked
package org.sessionbridge.core.feed;

import org.jspecify.annotations.NullMarked;

@NullMarked
package org.sessionbridge.core.outbox;

import org.jspecify.annotations.NullMarked;

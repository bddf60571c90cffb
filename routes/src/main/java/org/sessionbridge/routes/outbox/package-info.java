/**
 * Draining the transactional outbox: the poll route, the dispatcher, retry policy and dead letters.
 */
@NullMarked
package org.sessionbridge.routes.outbox;

import org.jspecify.annotations.NullMarked;

/** JDBC plumbing shared by the practice store's repositories. */
@NullMarked
package org.sessionbridge.core.store;

import org.jspecify.annotations.NullMarked;

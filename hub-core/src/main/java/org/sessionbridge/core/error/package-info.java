@NullMarked
package org.sessionbridge.core.error;

import org.jspecify.annotations.NullMarked;

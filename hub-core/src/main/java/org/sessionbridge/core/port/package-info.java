@NullMarked
package org.sessionbridge.core.port;

import org.jspecify.annotations.NullMarked;

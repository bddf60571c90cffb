@NullMarked
package org.sessionbridge.config.wiring;

import org.jspecify.annotations.NullMarked;

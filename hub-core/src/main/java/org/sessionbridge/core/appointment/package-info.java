@NullMarked
package org.sessionbridge.core.appointment;

import org.jspecify.annotations.NullMarked;

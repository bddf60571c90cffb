@NullMarked
package org.sessionbridge.core.practice;

import org.jspecify.annotations.NullMarked;

@NullMarked
package org.sessionbridge.config.api;

import org.jspecify.annotations.NullMarked;

@NullMarked
package org.sessionbridge.config.settings;

import org.jspecify.annotations.NullMarked;

@NullMarked
package org.sessionbridge.config.demo;

import org.jspecify.annotations.NullMarked;

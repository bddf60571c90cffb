/**
 * JMH microbenchmarks of the ICS renderers in ics-export: a 500-event feed with and without the
 * per-event byte cache, and one invitation. See {@link org.sessionbridge.bench.ics.IcsRenderBench}
 * for the command line.
 */
@NullMarked
package org.sessionbridge.bench.ics;

import org.jspecify.annotations.NullMarked;

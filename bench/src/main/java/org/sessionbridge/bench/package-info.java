/**
 * Load harness for a running hub: launches the fat jar as a child process on loopback, drives the
 * HTTP API and times the outbox drain. Plain JDK (java.net.http), no test framework; see {@link
 * org.sessionbridge.bench.HubLoad} and docs/BENCHMARKS.md.
 */
@NullMarked
package org.sessionbridge.bench;

import org.jspecify.annotations.NullMarked;

/**
 * An emulator of the ScaleIO REST gateway for tests and demos without a cluster: {@link
 * io.libstorage.emulator.scaleio.ScaleIoGatewayEmulator} serves the gateway's HTTP API over an in-memory system
 * ({@link io.libstorage.emulator.scaleio.SystemSpec}) with SDC agents that heartbeat like real hosts, fault rules, and
 * a record of every request for the tests' call counts.
 * Nothing here is null unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.libstorage.emulator.scaleio;

import org.jspecify.annotations.NullMarked;

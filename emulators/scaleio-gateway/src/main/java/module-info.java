/**
 * A protocol-faithful ScaleIO (PowerFlex) REST gateway emulator: HTTPS gateway API, simulated SDC hosts
 * (device links, a fake {@code drv_cfg}, an MDM connection port), fault injection and a request log.
 * Entry points: {@link io.libstorage.emulator.scaleio.ScaleIoGatewayEmulator} (embedded),
 * {@link io.libstorage.emulator.scaleio.ScaleIoGatewayMain} (standalone) and
 * {@link io.libstorage.emulator.scaleio.SdcAgent} (host side).
 */
module io.libstorage.emulator.scaleio {
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.http;
    requires org.eclipse.jetty.io;
    requires org.eclipse.jetty.util;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    /* the exported package is @NullMarked: users' nullness checkers read the annotations at compile time (transitive,
       as its signatures carry them); nothing needs them at run time, so the module path and the standalone jar may
       leave the jar out */
    requires static transitive org.jspecify;
    requires com.sun.jna;

    exports io.libstorage.emulator.scaleio;
}
